package io.weft.dataplane.sim;

import static io.weft.dataplane.table.TableFixtures.TENANT_A;
import static io.weft.dataplane.table.TableFixtures.ip;
import static io.weft.dataplane.table.TableFixtures.subnet;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.agent.CommandReply;
import io.weft.dataplane.agent.FabricCommand;
import io.weft.dataplane.agent.ProbeCommands;
import io.weft.dataplane.table.Encapsulation;
import io.weft.dataplane.table.MacAddress;
import io.weft.dataplane.table.TableJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Live probes on simulated hosts through the agents' own command handlers: the source host injects
 * tagged echoes at the vNIC, the destination host's watch sees them decapsulated and delivered, the
 * simulated VM's own reply leaves its port, and the source sees the reply come back; a probe to an
 * address the table lacks shows the unanswered ARP, and nothing untagged is recorded.
 */
class ProbeCommandsTest {

  private SimulatedCloud cloud;
  private MiniFabric fabric;

  @BeforeEach
  void start() {
    RangeLeaseAuthority leases = new RangeLeaseAuthority();
    cloud = SimulatedCloud.start(List.of("h1", "h2"), Encapsulation.NVGRE, leases);
    fabric = new MiniFabric(cloud, leases);
    fabric.network(
        TENANT_A, subnet(5001, "10.0.0.0/24", "10.0.0.1"), subnet(5002, "10.0.1.0/24", "10.0.1.1"));
    fabric.vm("a1", "h1", TENANT_A, 5001, "02:0a:00:00:00:01", "10.0.0.10");
    fabric.vm("a2", "h2", TENANT_A, 5001, "02:0a:00:00:00:02", "10.0.0.11");
    fabric.vm("a3", "h2", TENANT_A, 5002, "02:0a:00:00:00:03", "10.0.1.10");
    fabric.push();
    vm("h1", "a1", "02:0a:00:00:00:01", "10.0.0.10", "10.0.0.0/24");
    vm("h2", "a2", "02:0a:00:00:00:02", "10.0.0.11", "10.0.0.0/24");
    vm("h2", "a3", "02:0a:00:00:00:03", "10.0.1.10", "10.0.1.0/24");
  }

  private void vm(String host, String port, String mac, String address, String cidr) {
    SimulatedVm vm = cloud.host(host).startVm(port, MacAddress.parse(mac));
    vm.configureStatic(
        ip(address), io.weft.dataplane.table.IpPrefix.parse(cidr), ip(cidr.replace("0/24", "1")));
  }

  @AfterEach
  void tearDown() throws Exception {
    fabric.close();
    cloud.close();
  }

  private static FabricCommand command(String kind, String payload) {
    return new FabricCommand(
        UUID.randomUUID().toString(),
        kind,
        TableJson.mapper().readTree(payload),
        Instant.now().plusSeconds(10));
  }

  private static List<String> steps(JsonNode result) {
    List<String> out = new ArrayList<>();
    for (JsonNode o : result.path("observations")) {
      out.add(o.path("direction").asString() + " " + o.path("stage").asString());
    }
    return out;
  }

  @Test
  void aProbeAcrossHostsIsSeenOnBothAndTheVmsOwnReplyComesBack() throws Exception {
    String nonce = "00000000c0ffee01";
    CompletableFuture<CommandReply> watch =
        CompletableFuture.supplyAsync(() ->
            cloud
                .host("h2")
                .commands()
                .dispatch(
                    command(
                        ProbeCommands.WATCH,
                        "{\"nonce\":\"" + nonce + "\",\"count\":2,\"timeoutMs\":3000}")));
    Thread.sleep(100);
    CommandReply inject =
        cloud
            .host("h1")
            .commands()
            .dispatch(
                command(
                    ProbeCommands.INJECT,
                    "{\"nonce\":\""
                        + nonce
                        + "\",\"portId\":\"a1\",\"destination\":\"10.0.1.10\","
                        + "\"count\":2,\"timeoutMs\":3000}"));
    assertThat(inject.succeeded()).as(String.valueOf(inject)).isTrue();
    JsonNode source = inject.result();
    assertThat(source.path("sent").asInt()).isEqualTo(2);
    assertThat(source.path("sourceAddress").asString()).isEqualTo("10.0.0.10");
    assertThat(source.path("checks").get(0).path("name").asString()).isEqualTo("GATEWAY_ARP");
    assertThat(source.path("checks").get(0).path("ok").asBoolean()).isTrue();
    assertThat(steps(source))
        .contains("REQUEST PORT_SECURITY", "REQUEST ROUTE", "REQUEST ENCAPSULATE")
        .contains("REPLY DECAPSULATE", "REPLY DELIVER")
        .doesNotContain("REQUEST DROP", "REPLY DROP");
    long replies =
        java.util.stream.StreamSupport.stream(source.path("observations").spliterator(), false)
            .filter(o ->
                o.path("direction").asString().equals("REPLY")
                    && o.path("stage").asString().equals("DELIVER"))
            .count();
    assertThat(replies).as("both replies delivered to a1's port").isEqualTo(2);

    CommandReply destination = watch.get();
    assertThat(destination.succeeded()).isTrue();
    assertThat(steps(destination.result()))
        .contains("REQUEST DECAPSULATE", "REQUEST DELIVER")
        // The simulated VM answered on its own: its reply entered the switch at a3's port.
        .contains("REPLY PORT_SECURITY", "REPLY ROUTE", "REPLY ENCAPSULATE");
    assertThat(destination.result().path("observations").get(0).path("from").asString())
        .isEqualTo("underlay");
  }

  @Test
  void aProbeToAnAddressTheTableLacksShowsTheUnansweredArpAndSendsNothing() {
    CommandReply inject =
        cloud
            .host("h1")
            .commands()
            .dispatch(
                command(
                    ProbeCommands.INJECT,
                    "{\"nonce\":\"00000000c0ffee02\",\"portId\":\"a1\","
                        + "\"destination\":\"10.0.0.99\",\"timeoutMs\":500}"));
    assertThat(inject.succeeded()).isTrue();
    JsonNode checks = inject.result().path("checks");
    assertThat(checks.get(1).path("name").asString()).isEqualTo("DESTINATION_ARP");
    assertThat(checks.get(1).path("ok").asBoolean()).isFalse();
    assertThat(checks.get(1).path("detail").asString()).contains("NO_ROUTE");
    assertThat(inject.result().path("sent").asInt()).isZero();
  }

  @Test
  void aProbeFromAPortTheHostDoesNotHaveFailsWithTheReason() {
    CommandReply inject =
        cloud
            .host("h2")
            .commands()
            .dispatch(
                command(
                    ProbeCommands.INJECT,
                    "{\"nonce\":\"00000000c0ffee03\",\"portId\":\"a1\",\"destination\":\"10.0.0.11\"}"));
    assertThat(inject.succeeded()).isFalse();
    assertThat(inject.error()).startsWith("NO_PORT").contains("has no port a1");
  }
}
