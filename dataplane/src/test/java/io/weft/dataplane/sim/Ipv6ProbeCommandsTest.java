package io.weft.dataplane.sim;

import static io.weft.dataplane.sim.ProbeLab.deliveredReplies;
import static io.weft.dataplane.sim.ProbeLab.steps;
import static io.weft.dataplane.table.TableFixtures.TENANT_A;
import static io.weft.dataplane.table.TableFixtures.TENANT_B;
import static io.weft.dataplane.table.TableFixtures.subnet;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.agent.CommandReply;
import io.weft.dataplane.table.Encapsulation;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Live probes to IPv6 destinations on simulated hosts (VXLAN underlay): ICMPv6 echoes tagged like
 * the IPv4 ones cross hosts within a subnet and routed between subnets, the simulated VM's own
 * reply comes back, the host's neighbour advertisement for the gateway is checked instead of ARP;
 * an address the table lacks shows the unanswered neighbour solicitation; a packet above the
 * overlay MTU is dropped TOO_BIG where the VM is told "packet too big"; a vNIC without an address
 * of the probe's family is named.
 */
class Ipv6ProbeCommandsTest {

  private ProbeLab lab;

  @BeforeEach
  void start() {
    lab = new ProbeLab(Encapsulation.VXLAN);
    lab.fabric.network(
        TENANT_A,
        subnet(5001, "fd00:0:0:1::/64", "fd00:0:0:1::1"),
        subnet(5002, "fd00:0:0:2::/64", "fd00:0:0:2::1"));
    lab.fabric.network(TENANT_B, subnet(6001, "10.0.0.0/24", "10.0.0.1"));
    lab.fabric.vm("a1", "h1", TENANT_A, 5001, "02:0a:00:00:00:01", "fd00:0:0:1::10");
    lab.fabric.vm("a2", "h2", TENANT_A, 5001, "02:0a:00:00:00:02", "fd00:0:0:1::11");
    lab.fabric.vm("a3", "h2", TENANT_A, 5002, "02:0a:00:00:00:03", "fd00:0:0:2::10");
    lab.fabric.vm("b1", "h1", TENANT_B, 6001, "02:0b:00:00:00:01", "10.0.0.10");
    lab.fabric.push();
    lab.vm("h1", "a1", "02:0a:00:00:00:01", "fd00:0:0:1::10", "fd00:0:0:1::/64", "fd00:0:0:1::1");
    lab.vm("h2", "a2", "02:0a:00:00:00:02", "fd00:0:0:1::11", "fd00:0:0:1::/64", "fd00:0:0:1::1");
    lab.vm("h2", "a3", "02:0a:00:00:00:03", "fd00:0:0:2::10", "fd00:0:0:2::/64", "fd00:0:0:2::1");
  }

  @AfterEach
  void tearDown() throws Exception {
    lab.close();
  }

  @Test
  void anIcmpv6ProbeWithinASubnetCrossesHostsAndTheVmsOwnReplyComesBack() throws Exception {
    probeAcrossHosts("00000000c0ffee61", "fd00:0:0:1::11");
  }

  @Test
  void anIcmpv6ProbeRoutedBetweenSubnetsCrossesHostsAndComesBack() throws Exception {
    JsonNode source = probeAcrossHosts("00000000c0ffee62", "fd00:0:0:2::10");
    assertThat(steps(source)).contains("REQUEST ROUTE");
  }

  private JsonNode probeAcrossHosts(String nonce, String destination) throws Exception {
    CompletableFuture<CommandReply> watch = lab.watch("h2", nonce, 2);
    CommandReply inject = inject("h1", nonce, "a1", destination, ",\"count\":2");
    assertThat(inject.succeeded()).as(String.valueOf(inject)).isTrue();
    JsonNode source = inject.result();
    assertThat(source.path("sent").asInt()).isEqualTo(2);
    assertThat(source.path("sourceAddress").asString()).isEqualTo("fd00:0:0:1::10");
    JsonNode gateway = source.path("checks").get(0);
    assertThat(gateway.path("name").asString()).isEqualTo("GATEWAY_ND");
    assertThat(gateway.path("ok").asBoolean()).as(gateway.toString()).isTrue();
    assertThat(gateway.path("detail").asString())
        .isEqualTo("neighbour solicitation for fd00:0:0:1::1 answered by the host");
    assertThat(source.path("checks")).hasSize(1); // no DHCPv6 in the data plane: nothing to offer
    assertThat(steps(source))
        .contains("REQUEST PORT_SECURITY", "REQUEST ENCAPSULATE")
        .contains("REPLY DECAPSULATE", "REPLY DELIVER")
        .doesNotContain("REQUEST DROP", "REPLY DROP");
    assertThat(deliveredReplies(source)).as("both replies delivered to a1's port").isEqualTo(2);
    assertThat(source.path("observations").toString()).contains(destination);

    CommandReply there = watch.get();
    assertThat(there.succeeded()).isTrue();
    assertThat(steps(there.result()))
        .contains("REQUEST DECAPSULATE", "REQUEST DELIVER")
        // The simulated VM answered on its own: its reply entered the switch at its port.
        .contains("REPLY PORT_SECURITY", "REPLY ENCAPSULATE");
    return source;
  }

  @Test
  void aProbeToAnIpv6AddressTheTableLacksShowsTheUnansweredNeighbourSolicitation() {
    CommandReply inject = inject("h1", "00000000c0ffee63", "a1", "fd00:0:0:1::99", "");
    assertThat(inject.succeeded()).isTrue();
    JsonNode checks = inject.result().path("checks");
    assertThat(checks.get(1).path("name").asString()).isEqualTo("DESTINATION_ND");
    assertThat(checks.get(1).path("ok").asBoolean()).isFalse();
    assertThat(checks.get(1).path("detail").asString())
        .startsWith("neighbour solicitation for fd00:0:0:1::99: ")
        .contains("NO_ROUTE");
    assertThat(inject.result().path("sent").asInt()).isZero();
  }

  @Test
  void aProbeAboveTheOverlayMtuIsDroppedTooBigAndTheVmIsToldPacketTooBig() {
    CommandReply inject =
        inject("h1", "00000000c0ffee64", "a1", "fd00:0:0:1::11", ",\"size\":1500");
    assertThat(inject.succeeded()).as(String.valueOf(inject)).isTrue();
    JsonNode result = inject.result();
    assertThat(result.path("size").asInt()).isEqualTo(1500);
    assertThat(steps(result)).contains("REQUEST DROP").doesNotContain("REQUEST ENCAPSULATE");
    assertThat(result.path("observations").toString())
        .contains("TOO_BIG: packet exceeds the overlay MTU; ICMP too-big answered")
        .contains("B > MTU");
  }

  @Test
  void aProbeOfTheOtherFamilyNamesTheMissingAddress() {
    CommandReply toV4 = inject("h1", "00000000c0ffee65", "a1", "10.0.0.10", "");
    assertThat(toV4.succeeded()).isFalse();
    assertThat(toV4.error()).startsWith("NO_ADDRESS").contains("no IPv4 address");
    CommandReply toV6 = inject("h1", "00000000c0ffee66", "b1", "fd00:0:0:1::10", "");
    assertThat(toV6.succeeded()).isFalse();
    assertThat(toV6.error())
        .isEqualTo("NO_ADDRESS: the vNIC has no IPv6 address (its subnet is 10.0.0.0/24)");
  }

  /** An inject with 3 s for its answers; {@code more} adds fields. */
  private CommandReply inject(
      String host, String nonce, String port, String destination, String more) {
    return lab.inject(host, nonce, port, destination, ",\"timeoutMs\":3000" + more);
  }
}
