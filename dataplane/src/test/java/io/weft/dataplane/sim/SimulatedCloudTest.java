package io.weft.dataplane.sim;

import static io.weft.dataplane.table.TableFixtures.TENANT_A;
import static io.weft.dataplane.table.TableFixtures.TENANT_B;
import static io.weft.dataplane.table.TableFixtures.ip;
import static io.weft.dataplane.table.TableFixtures.subnet;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.codec.FrameWriter;
import io.weft.dataplane.codec.Icmpv4;
import io.weft.dataplane.pipeline.CounterSnapshot;
import io.weft.dataplane.pipeline.DropReason;
import io.weft.dataplane.pipeline.TraceStage;
import io.weft.dataplane.pipeline.TraceStep;
import io.weft.dataplane.table.Encapsulation;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.MacAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two tenants with identical CIDRs on 3 simulated hosts: pings work inside each VM network and
 * never across, DHCP hands out distinct addresses, forwarding survives the fabric going away.
 */
class SimulatedCloudTest {

  private static final Duration T = Duration.ofSeconds(3);
  private SimulatedCloud cloud;
  private MiniFabric fabric;

  private void start(Encapsulation encapsulation) {
    RangeLeaseAuthority leases = new RangeLeaseAuthority();
    cloud = SimulatedCloud.start(List.of("h1", "h2", "h3"), encapsulation, leases);
    fabric = new MiniFabric(cloud, leases);
    // Identical CIDRs in both tenants; tenant B also has a subnet tenant A lacks.
    fabric.network(
        TENANT_A, subnet(5001, "10.0.0.0/24", "10.0.0.1"), subnet(5002, "10.0.1.0/24", "10.0.1.1"));
    fabric.network(
        TENANT_B,
        subnet(6001, "10.0.0.0/24", "10.0.0.1"),
        subnet(6002, "10.0.1.0/24", "10.0.1.1"),
        subnet(6003, "10.0.2.0/24", "10.0.2.1"));
    fabric.vm("a1", "h1", TENANT_A, 5001, "02:0a:00:00:00:01", "10.0.0.10");
    fabric.vm("a2", "h2", TENANT_A, 5001, "02:0a:00:00:00:02", "10.0.0.11");
    fabric.vm("a3", "h3", TENANT_A, 5002, "02:0a:00:00:00:03", "10.0.1.10");
    fabric.vm("a4", "h1", TENANT_A, 5002, "02:0a:00:00:00:04", "10.0.1.11");
    fabric.vm("b1", "h1", TENANT_B, 6001, "02:0b:00:00:00:01", "10.0.0.10");
    fabric.vm("b2", "h2", TENANT_B, 6001, "02:0b:00:00:00:02", "10.0.0.11");
    fabric.vm("b3", "h3", TENANT_B, 6002, "02:0b:00:00:00:03", "10.0.1.10");
    fabric.vm("b5", "h3", TENANT_B, 6003, "02:0b:00:00:00:05", "10.0.2.10");
    fabric.push();
  }

  private SimulatedVm staticVm(String host, String port, String mac, String address, String cidr) {
    SimulatedVm vm = cloud.host(host).startVm(port, MacAddress.parse(mac));
    String gw = cidr.replace("0/24", "1");
    vm.configureStatic(ip(address), io.weft.dataplane.table.IpPrefix.parse(cidr), ip(gw));
    return vm;
  }

  private static boolean ping(SimulatedVm from, String to) {
    return from.ping(ip(to), Duration.ofMillis(500)).join().success();
  }

  private long txFrames(String host, String port) {
    var c = cloud.host(host).backend().counters().join().ports().get(port);
    return c == null ? 0 : c.txFrames();
  }

  @AfterEach
  void tearDown() throws Exception {
    fabric.close();
    cloud.close();
  }

  @ParameterizedTest
  @EnumSource(Encapsulation.class)
  void pingsWorkInsideEachVmNetworkAndNeverAcross(Encapsulation encapsulation) {
    start(encapsulation);
    SimulatedVm a1 = staticVm("h1", "a1", "02:0a:00:00:00:01", "10.0.0.10", "10.0.0.0/24");
    staticVm("h2", "a2", "02:0a:00:00:00:02", "10.0.0.11", "10.0.0.0/24");
    staticVm("h3", "a3", "02:0a:00:00:00:03", "10.0.1.10", "10.0.1.0/24");
    staticVm("h1", "a4", "02:0a:00:00:00:04", "10.0.1.11", "10.0.1.0/24");
    SimulatedVm b1 = staticVm("h1", "b1", "02:0b:00:00:00:01", "10.0.0.10", "10.0.0.0/24");
    staticVm("h2", "b2", "02:0b:00:00:00:02", "10.0.0.11", "10.0.0.0/24");
    staticVm("h3", "b3", "02:0b:00:00:00:03", "10.0.1.10", "10.0.1.0/24");
    staticVm("h3", "b5", "02:0b:00:00:00:05", "10.0.2.10", "10.0.2.0/24");

    long b2Before = txFrames("h2", "b2");
    assertThat(ping(a1, "10.0.0.11")).as("L2 across hosts, tenant A").isTrue();
    assertThat(ping(a1, "10.0.1.10")).as("routed across hosts, tenant A").isTrue();
    assertThat(ping(a1, "10.0.1.11")).as("routed on the same host, tenant A").isTrue();
    assertThat(ping(a1, "10.0.0.1")).as("the distributed gateway answers").isTrue();
    assertThat(txFrames("h2", "b2")).as("tenant B's twin of a2 saw nothing").isEqualTo(b2Before);

    assertThat(ping(b1, "10.0.0.11")).as("L2, tenant B").isTrue();
    assertThat(ping(b1, "10.0.1.10")).as("routed, tenant B").isTrue();
    assertThat(ping(b1, "10.0.2.10")).as("tenant B's own third subnet").isTrue();
    assertThat(ping(a1, "10.0.2.10")).as("tenant A cannot reach tenant B's subnet").isFalse();
    assertThat(cloud.host("h1").backend().counters().join().dropped(DropReason.NO_ROUTE))
        .isPositive();
  }

  @ParameterizedTest
  @EnumSource(Encapsulation.class)
  void dhcpGivesDistinctAddressesSurvivesRenewAndTheirPingsWork(Encapsulation encapsulation) {
    start(encapsulation);
    List<SimulatedVm> vms = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      String host = "h" + i;
      fabric.vm("da" + i, host, TENANT_A, 5001, "02:da:00:00:00:0" + i, null);
      fabric.vm("db" + i, host, TENANT_B, 6001, "02:db:00:00:00:0" + i, null);
    }
    fabric.push();
    for (int i = 1; i <= 3; i++) {
      vms.add(cloud.host("h" + i).startVm("da" + i, MacAddress.parse("02:da:00:00:00:0" + i)));
      vms.add(cloud.host("h" + i).startVm("db" + i, MacAddress.parse("02:db:00:00:00:0" + i)));
    }
    Set<IpAddress> tenantA = new HashSet<>();
    for (SimulatedVm vm : vms) {
      IpAddress a = vm.startDhcp(T).join();
      assertThat(subnet(5001, "10.0.0.0/24", "10.0.0.1").dhcp().inRanges(a)).isTrue();
      if (vm.portId().startsWith("da")) {
        assertThat(tenantA.add(a)).as("distinct address " + a).isTrue();
      }
      assertThat(vm.leaseSeconds()).isEqualTo(3600);
    }
    SimulatedVm first = vms.getFirst();
    IpAddress before = first.address();
    assertThat(first.renew(T).join()).isEqualTo(before);
    // The fabric published the leased CAs: DHCP VMs reach each other across hosts.
    await(() -> ping(vms.get(0), vms.get(4).address().toString()));
    await(() -> ping(vms.get(1), vms.get(3).address().toString()));
  }

  @ParameterizedTest
  @EnumSource(value = Encapsulation.class, names = "NVGRE")
  void forwardingSurvivesTheFabricGoingAwayAndProbesAreTraced(Encapsulation encapsulation) {
    start(encapsulation);
    SimulatedVm a1 = staticVm("h1", "a1", "02:0a:00:00:00:01", "10.0.0.10", "10.0.0.0/24");
    staticVm("h3", "a3", "02:0a:00:00:00:03", "10.0.1.10", "10.0.1.0/24");
    fabric.stop();
    assertThat(ping(a1, "10.0.1.10")).isTrue();

    long delivered = txFrames("h3", "a3");
    byte[] probe = new byte[128];
    int len =
        FrameWriter.icmpEchoV4(
            probe,
            0,
            MacAddress.DISTRIBUTED_ROUTER.value(),
            MacAddress.parse("02:0a:00:00:00:01").value(),
            ip("10.0.0.10").v4Bits(),
            ip("10.0.1.10").v4Bits(),
            Icmpv4.ECHO_REQUEST,
            1,
            1,
            16);
    List<TraceStep> steps =
        cloud.host("h1").backend().injectProbe("a1", java.util.Arrays.copyOf(probe, len)).join();
    assertThat(steps)
        .extracting(TraceStep::stage)
        .contains(TraceStage.ROUTE, TraceStage.ENCAPSULATE);
    await(() -> txFrames("h3", "a3") > delivered);
    CounterSnapshot c = cloud.host("h1").backend().counters().join();
    assertThat(c.underlayTxPackets()).isPositive();
  }

  private static void await(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + T.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + T);
      }
      Thread.onSpinWait();
    }
  }
}
