package io.weft.diagnostics.trace;

import static io.weft.diagnostics.trace.TraceWorld.OPERATOR;
import static io.weft.diagnostics.trace.TraceWorld.nic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.diagnostics.ConnectivityDiagnostics;
import io.weft.diagnostics.PathStep;
import io.weft.diagnostics.TraceAnswer;
import io.weft.diagnostics.TraceRequest;
import io.weft.fabric.FabricException;
import io.weft.fabric.HostId;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.Subnet;
import io.weft.fabric.Vm;
import io.weft.fabric.VmNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

/**
 * Traces to IPv6 destinations over the fabric's intended tables (as {@link PathTracerTest}, in a
 * database of its own): the VM's neighbour solicitation answered by its host instead of ARP,
 * ICMPv6, UDP and TCP there and back across hosts, routed between IPv6 subnets, an address nobody
 * has, a packet above the overlay MTU (the VM is told "packet too big"), and a destination of the
 * other family than the vNIC's refused naming the field.
 */
// A context (and so an H2 database) of its own: PathTracerTest places its VMs on any READY host.
@SpringBootTest(classes = TraceTestApplication.class, properties = "weft.test.world=ipv6")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Ipv6PathTracerTest {

  @Autowired ApplicationContext context;
  @Autowired ConnectivityDiagnostics diagnostics;

  TraceWorld world;
  Subnet web;
  Subnet db;
  Vm a1;
  Vm a2;
  Vm a3;

  @BeforeAll
  void cloud() {
    world = new TraceWorld(context).hosts(3, 3, 1500).tenant();
    VmNetwork prod = world.network("prod6");
    web = world.subnet(prod, "web6", "fd00:0:0:1::/64", false);
    db = world.subnet(prod, "db6", "fd00:0:0:2::/64", false);
    a1 = world.staticVm("six-a1", web, "fd00:0:0:1::10");
    a2 = world.staticVm("six-a2", web, "fd00:0:0:1::11");
    a3 = world.staticVm("six-a3", db, "fd00:0:0:2::7");
  }

  private TraceAnswer trace(TraceRequest request) {
    world.allApplied();
    return diagnostics.trace(OPERATOR, request);
  }

  @Test
  void anIcmpv6EchoCrossesHostsThereAndBackAfterTheHostAnswersNeighbourDiscovery() {
    HostId h1 = world.hostOf(a1);
    HostId h2 = world.hostOf(a2);
    assertThat(h1).as("spread placement").isNotEqualTo(h2);
    TraceAnswer answer = trace(TraceRequest.ping(nic(a1), "fd00:0:0:1::11"));
    assertThat(answer.reachable()).as(answer.toString()).isTrue();
    assertThat(answer.blockers()).isEmpty();
    assertThat(answer.summary())
        .startsWith("Reachable: ICMPv6 echo, 104 bytes")
        .contains(world.hostName(h1) + " → " + world.hostName(h2));
    assertThat(answer.steps())
        .anySatisfy(s ->
            assertThat(s.detail())
                .startsWith("neighbour solicitation for fd00:0:0:1::11: ")
                .contains("neighbour solicitation answered from the table"));
    assertThat(stage(answer, PathStep.Direction.FORWARD, "L2_LOOKUP").decidedBy())
        .contains("CA fd00:0:0:1::11");
    assertThat(stage(answer, PathStep.Direction.FORWARD, "ENCAPSULATE").detail())
        .contains("NVGRE VSID " + web.vsid());
    assertThat(stage(answer, PathStep.Direction.RETURN, "DELIVER").detail()).contains(nic(a1));
  }

  @Test
  void udpAndTcpToAnIpv6AddressAreTracedThereAndBack() {
    TraceAnswer udp = trace(new TraceRequest(nic(a1), "fd00:0:0:1::11", "UDP", 53, null, null));
    assertThat(udp.reachable()).as(udp.summary()).isTrue();
    assertThat(udp.packet()).isEqualTo("UDP to port 53, 104 bytes");
    TraceAnswer tcp = trace(new TraceRequest(nic(a1), "fd00:0:0:1::11", "TCP", 443, null, null));
    assertThat(tcp.reachable()).as(tcp.summary()).isTrue();
    assertThat(tcp.packet()).isEqualTo("TCP SYN to port 443, 60 bytes");
  }

  @Test
  void routedToTheOtherIpv6SubnetWithTheGatewaysNeighbourAdvertisement() {
    TraceAnswer answer = trace(TraceRequest.ping(nic(a1), "fd00:0:0:2::7"));
    assertThat(answer.reachable()).as(answer.summary()).isTrue();
    assertThat(answer.steps())
        .anySatisfy(
            s -> assertThat(s.detail()).startsWith("neighbour solicitation for fd00:0:0:1::1: "));
    assertThat(stage(answer, PathStep.Direction.FORWARD, "ROUTE").detail())
        .contains("VSID " + web.vsid() + " → " + db.vsid())
        .contains("fd00:0:0:2::/64");
  }

  @Test
  void anIpv6AddressNobodyHasIsAMissingLookupRecord() {
    TraceAnswer answer = trace(TraceRequest.ping(nic(a1), "fd00:0:0:1::99"));
    assertThat(answer.reachable()).isFalse();
    assertThat(answer.summary())
        .contains("no lookup record for fd00:0:0:1::99 in VSID " + web.vsid())
        .contains("no VM of the tenant has that address");
    assertThat(answer.steps())
        .anySatisfy(s ->
            assertThat(s.detail())
                .startsWith("neighbour solicitation for fd00:0:0:1::99: NO_ROUTE"));
  }

  @Test
  void anIpv6PacketAboveTheOverlayMtuIsABlockerAndTheTraceGoesOnAtTheMtu() {
    TraceAnswer answer = trace(new TraceRequest(nic(a1), "fd00:0:0:1::11", null, null, 1500, null));
    assertThat(answer.blockers()).isNotEmpty();
    assertThat(answer.blockers().getFirst().cause())
        .contains("a 1500-byte packet exceeds the overlay MTU 1458");
    assertThat(answer.blockers().getFirst().fix()).contains("packet too big");
    assertThat(answer.steps())
        .anySatisfy(s -> assertThat(s.detail()).contains("ICMP too-big answered"));
  }

  @Test
  void aDestinationOfTheOtherFamilyThanTheVnicsIsRefusedNamingTheField() {
    assertThatThrownBy(() -> trace(TraceRequest.ping(nic(a1), "10.0.0.11")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("10.0.0.11 is IPv4 but the vNIC's address fd00:0:0:1::10 is not")
        .extracting(e -> ((FabricException) e).field().orElseThrow())
        .isEqualTo("destination");
    assertThatThrownBy(
            () -> trace(new TraceRequest(nic(a1), "fd00:0:0:1::11", null, null, null, "10.0.0.5")))
        .isInstanceOf(InvalidRequestException.class)
        .extracting(e -> ((FabricException) e).field().orElseThrow())
        .isEqualTo("sourceAddress");
  }

  private static PathStep stage(TraceAnswer answer, PathStep.Direction direction, String stage) {
    return answer.steps().stream()
        .filter(s -> s.direction() == direction && s.stage().equals(stage))
        .filter(s -> !s.resolvesNextHop())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + direction + " " + stage + " in " + answer));
  }
}
