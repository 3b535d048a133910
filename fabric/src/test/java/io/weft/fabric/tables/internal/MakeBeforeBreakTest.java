package io.weft.fabric.tables.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.LookupRecord;
import io.weft.dataplane.table.VmNetworkTable;
import io.weft.fabric.FabricTestApplication;
import io.weft.fabric.HostId;
import io.weft.fabric.HostService;
import io.weft.fabric.Subnet;
import io.weft.fabric.Vm;
import io.weft.fabric.VmNetwork;
import io.weft.fabric.tables.HostTableService;
import io.weft.fabric.tables.MigrationRecord;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Live migration step by step: destination port first, peers switched only after the destination
 * applied it, source port dropped only after every peer applied the switch; the recorded timeline
 * shows a stale window of zero.
 */
// Each test on a fresh database: placement would otherwise pick another test's hosts, whose agents
// nobody plays here, and a migration waiting on such a peer never finishes.
@SpringBootTest(classes = FabricTestApplication.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.BEFORE_EACH_TEST_METHOD)
class MakeBeforeBreakTest {

  @Autowired ApplicationContext ctx;
  @Autowired HostTableService tables;

  @Test
  void destinationFirstPeersOnReportSourceLast() {
    Cloud cloud = new Cloud(ctx).build(3, "VXLAN").ready();
    SimAgents agents = new SimAgents(tables);
    VmNetwork n = cloud.network("mig");
    Subnet s = cloud.subnet(n, "s", "10.5.0.0/24", false);
    Vm mover = cloud.vm("mover", List.of(Cloud.staticNic(s, "10.5.0.10")));
    Vm peer = cloud.vm("peer", List.of(Cloud.staticNic(s, "10.5.0.20")));
    HostId a = cloud.hostIds.get(0);
    HostId b = cloud.hostIds.get(1);
    HostId c = cloud.hostIds.get(2);
    cloud.placeOn(mover, a);
    cloud.placeOn(peer, c);
    settle(cloud, agents);
    String paA = pa(cloud, a);
    String paB = pa(cloud, b);
    IpAddress ca = IpAddress.parse("10.5.0.10");

    cloud.vms.migrate(Cloud.OPERATOR, mover.id(), b);
    cloud.hostIds.forEach(agents::sync);
    assertThat(port(agents.applied.get(b), mover)).as("destination has the port").isTrue();
    assertThat(record(agents.applied.get(b), ca).pa().toString()).isEqualTo(paB);
    assertThat(record(agents.applied.get(c), ca).pa().toString())
        .as("peer still on source")
        .isEqualTo(paA);
    assertThat(port(agents.applied.get(a), mover)).as("source keeps its port").isTrue();
    assertThat(latest(cloud).phase()).isEqualTo("PORT_ON_DEST");

    agents.report(c); // a peer's report changes nothing
    cloud.hostIds.forEach(agents::sync);
    assertThat(record(agents.applied.get(c), ca).pa().toString()).isEqualTo(paA);

    agents.report(b); // destination applied the port
    assertThat(latest(cloud).phase()).isEqualTo("RECORDS_SWITCHED");
    cloud.hostIds.forEach(agents::sync);
    assertThat(record(agents.applied.get(c), ca).pa().toString()).isEqualTo(paB);
    assertThat(port(agents.applied.get(a), mover)).as("source still has the port").isTrue();

    agents.report(c);
    assertThat(latest(cloud).phase())
        .as("source waits for every live peer")
        .isEqualTo("RECORDS_SWITCHED");
    agents.report(a);
    assertThat(latest(cloud).phase()).isEqualTo("DONE");
    agents.sync(a);
    assertThat(port(agents.applied.get(a), mover)).as("source dropped the port last").isFalse();
    agents.report(a);
    MigrationRecord done = latest(cloud);
    assertThat(done.staleWindowMillis()).isZero();
    assertThat(done.peers()).isEqualTo(2);
    assertThat(done.destAppliedAt()).isNotNull();
    assertThat(done.sourceAppliedAt()).isNotNull();
    assertThat(done.sourceDroppedAt()).isAfterOrEqualTo(done.peersAppliedAt());
    for (HostId h : cloud.hostIds) {
      agents.sync(h);
      agents.assertMatchesFull(h, "after migration");
    }
  }

  /**
   * Peers of one migration usually report at the same moment. Each report runs in its own
   * transaction; the last two must not both see the other pending and leave the source's port in
   * place until some unrelated later report (or the peer timeout) comes along.
   */
  @Test
  void peersReportingAtOnceStillLetTheSourceDrop() throws Exception {
    Cloud cloud = new Cloud(ctx).build(6, "VXLAN").ready();
    SimAgents agents = new SimAgents(tables);
    VmNetwork n = cloud.network("race");
    Subnet s = cloud.subnet(n, "s", "10.6.0.0/24", false);
    Vm mover = cloud.vm("mover", List.of(Cloud.staticNic(s, "10.6.0.10")));
    for (int i = 0; i < cloud.hostIds.size(); i++) {
      Vm v = cloud.vm("p" + i, List.of(Cloud.staticNic(s, "10.6.0." + (20 + i))));
      cloud.placeOn(v, cloud.hostIds.get(i));
    }
    for (int round = 0; round < 6; round++) {
      settle(cloud, agents);
      HostId now =
          cloud
              .vms
              .getVm(Cloud.OPERATOR, cloud.tenant, mover.id())
              .placement()
              .orElseThrow()
              .hostId();
      HostId to = cloud.hostIds.get((cloud.hostIds.indexOf(now) + 1) % cloud.hostIds.size());
      cloud.vms.migrate(Cloud.OPERATOR, mover.id(), to);
      agents.syncAndReport(to); // destination applied: peers switch
      assertThat(latest(cloud).phase()).isEqualTo("RECORDS_SWITCHED");
      List<HostId> peers = cloud.hostIds.stream().filter(h -> !h.equals(to)).toList();
      peers.forEach(agents::sync);
      java.util.concurrent.CyclicBarrier start =
          new java.util.concurrent.CyclicBarrier(peers.size());
      List<Thread> threads = new java.util.ArrayList<>();
      for (HostId p : peers) {
        threads.add(
            Thread.ofPlatform()
                .start(() -> {
                  try {
                    start.await();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                  agents.report(p);
                }));
      }
      for (Thread t : threads) {
        t.join();
      }
      assertThat(latest(cloud).phase())
          .as("round %d: every peer reported", round)
          .isEqualTo("DONE");
    }
  }

  private MigrationRecord latest(Cloud cloud) {
    return tables.migrations(Cloud.OPERATOR, 1).getFirst();
  }

  private void settle(Cloud cloud, SimAgents agents) {
    for (int i = 0; i < 4; i++) {
      cloud.hostIds.forEach(agents::syncAndReport);
    }
  }

  private String pa(Cloud cloud, HostId h) {
    return ctx.getBean(HostService.class).getHost(Cloud.OPERATOR, h).providerAddress();
  }

  private static LookupRecord record(HostTable t, IpAddress ca) {
    for (VmNetworkTable n : t.networks()) {
      for (LookupRecord r : n.lookupRecords()) {
        if (r.ca().equals(ca)) {
          return r;
        }
      }
    }
    throw new AssertionError("no record for " + ca + " on " + t.hostId());
  }

  private static boolean port(HostTable t, Vm vm) {
    String id = vm.nics().getFirst().id().toString();
    return t.networks().stream()
        .flatMap(n -> n.ports().stream())
        .anyMatch(p -> p.portId().equals(id));
  }
}
