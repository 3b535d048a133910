package io.weft.fabric.tables.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.FabricTestApplication;
import io.weft.fabric.HostId;
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

/**
 * A migration whose last peer never reports, in a cloud where no agent reports again, still ends:
 * the sweeper drops the source's port after the peer timeout, and the timeline says why.
 */
@SpringBootTest(
    classes = FabricTestApplication.class,
    properties = {
      "weft.tables.migration-peer-timeout=1s",
      "weft.tables.migration-sweep-interval=200ms"
    })
class MigrationSweeperTest {

  @Autowired ApplicationContext ctx;
  @Autowired HostTableService tables;

  @Test
  void aMigrationWaitingOnASilentPeerEndsWithoutAnyFurtherReport() throws Exception {
    Cloud cloud = new Cloud(ctx).build(3, "VXLAN").ready();
    SimAgents agents = new SimAgents(tables);
    VmNetwork n = cloud.network("sweep");
    Subnet s = cloud.subnet(n, "s", "10.7.0.0/24", false);
    Vm mover = cloud.vm("mover", List.of(Cloud.staticNic(s, "10.7.0.10")));
    Vm peer = cloud.vm("peer", List.of(Cloud.staticNic(s, "10.7.0.20")));
    HostId a = cloud.hostIds.get(0);
    HostId b = cloud.hostIds.get(1);
    HostId c = cloud.hostIds.get(2);
    placeOn(cloud, mover, a);
    placeOn(cloud, peer, c);
    for (int i = 0; i < 4; i++) {
      cloud.hostIds.forEach(agents::syncAndReport);
    }

    cloud.vms.migrate(Cloud.OPERATOR, mover.id(), b);
    agents.syncAndReport(b); // the destination has the port: peers are told to switch
    agents.syncAndReport(a); // the source switched too; the peer on c never reports again
    assertThat(latest().phase()).isEqualTo("RECORDS_SWITCHED");

    long deadline = System.nanoTime() + 15_000_000_000L;
    while (!latest().phase().equals("DONE") && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }

    MigrationRecord done = latest();
    assertThat(done.phase()).as("phase without any further report").isEqualTo("DONE");
    assertThat(done.note()).contains("timed out waiting for 1 peer");
    agents.sync(a);
    String port = mover.nics().getFirst().id().toString();
    assertThat(agents.applied.get(a).networks())
        .as("the source's table no longer has the moved port")
        .noneMatch(net -> net.ports().stream().anyMatch(p -> p.portId().equals(port)));
  }

  private MigrationRecord latest() {
    return tables.migrations(Cloud.OPERATOR, 1).getFirst();
  }

  private static void placeOn(Cloud cloud, Vm vm, HostId to) {
    HostId now =
        cloud.vms.getVm(Cloud.OPERATOR, cloud.tenant, vm.id()).placement().orElseThrow().hostId();
    if (!now.equals(to)) {
      cloud.vms.migrate(Cloud.OPERATOR, vm.id(), to);
    }
  }
}
