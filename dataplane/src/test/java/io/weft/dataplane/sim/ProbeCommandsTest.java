package io.weft.dataplane.sim;

import static io.weft.dataplane.sim.ProbeLab.deliveredReplies;
import static io.weft.dataplane.sim.ProbeLab.steps;
import static io.weft.dataplane.table.TableFixtures.TENANT_A;
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
 * Live probes on simulated hosts through the agents' own command handlers: the source host injects
 * tagged echoes at the vNIC, the destination host's watch sees them decapsulated and delivered, the
 * simulated VM's own reply leaves its port, and the source sees the reply come back; a probe to an
 * address the table lacks shows the unanswered ARP, and nothing untagged is recorded.
 */
class ProbeCommandsTest {

  private ProbeLab lab;

  @BeforeEach
  void start() {
    lab = new ProbeLab(Encapsulation.NVGRE);
    lab.fabric.network(
        TENANT_A, subnet(5001, "10.0.0.0/24", "10.0.0.1"), subnet(5002, "10.0.1.0/24", "10.0.1.1"));
    lab.fabric.vm("a1", "h1", TENANT_A, 5001, "02:0a:00:00:00:01", "10.0.0.10");
    lab.fabric.vm("a2", "h2", TENANT_A, 5001, "02:0a:00:00:00:02", "10.0.0.11");
    lab.fabric.vm("a3", "h2", TENANT_A, 5002, "02:0a:00:00:00:03", "10.0.1.10");
    lab.fabric.push();
    lab.vm("h1", "a1", "02:0a:00:00:00:01", "10.0.0.10", "10.0.0.0/24", "10.0.0.1");
    lab.vm("h2", "a2", "02:0a:00:00:00:02", "10.0.0.11", "10.0.0.0/24", "10.0.0.1");
    lab.vm("h2", "a3", "02:0a:00:00:00:03", "10.0.1.10", "10.0.1.0/24", "10.0.1.1");
  }

  @AfterEach
  void tearDown() throws Exception {
    lab.close();
  }

  @Test
  void aProbeAcrossHostsIsSeenOnBothAndTheVmsOwnReplyComesBack() throws Exception {
    String nonce = "00000000c0ffee01";
    CompletableFuture<CommandReply> watch = lab.watch("h2", nonce, 2);
    CommandReply inject =
        lab.inject("h1", nonce, "a1", "10.0.1.10", ",\"count\":2,\"timeoutMs\":3000");
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
    assertThat(deliveredReplies(source)).as("both replies delivered to a1's port").isEqualTo(2);

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
        lab.inject("h1", "00000000c0ffee02", "a1", "10.0.0.99", ",\"timeoutMs\":500");
    assertThat(inject.succeeded()).isTrue();
    JsonNode checks = inject.result().path("checks");
    assertThat(checks.get(1).path("name").asString()).isEqualTo("DESTINATION_ARP");
    assertThat(checks.get(1).path("ok").asBoolean()).isFalse();
    assertThat(checks.get(1).path("detail").asString()).contains("NO_ROUTE");
    assertThat(inject.result().path("sent").asInt()).isZero();
  }

  @Test
  void aProbeFromAPortTheHostDoesNotHaveFailsWithTheReason() {
    CommandReply inject = lab.inject("h2", "00000000c0ffee03", "a1", "10.0.0.11", "");
    assertThat(inject.succeeded()).isFalse();
    assertThat(inject.error()).startsWith("NO_PORT").contains("has no port a1");
  }
}
