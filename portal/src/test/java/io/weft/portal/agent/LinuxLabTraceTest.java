package io.weft.portal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.agent.AgentProcess;
import io.weft.dataplane.lab.Lab;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.TableMessage;
import io.weft.fabric.DhcpRange;
import io.weft.fabric.NewDhcpRange;
import io.weft.portal.H2ApplicationTest;
import io.weft.portal.Hops;
import io.weft.portal.agent.FabricLab.LabHost;
import io.weft.portal.agent.FabricLab.LabVm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Traces on the lab's real Linux hosts ({@link LinuxLabCloud}) through the REST API: between VMs on
 * two linux agents the trace is delivered with its path, the trace over the applied tables agrees
 * (the digests the real agents report) and the live probe crosses the same hops; a host whose agent
 * forwards with other entries is named by the applied trace, from the entries its agent sends on
 * request; a host whose agent is paused is named as behind.
 */
@H2ApplicationTest
@ExtendWith(LinuxLabCloud.ClosedAtTheEnd.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(4)
class LinuxLabTraceTest {

  @Autowired ApplicationContext context;

  private LinuxLabCloud cloud;
  private LabHost h1;
  private LabHost h2;
  private AgentProcess agent1;
  private LabVm a;
  private LabVm b;
  private LabApi tenant;
  private LabApi operator;

  @BeforeAll
  void cloud() throws Exception {
    cloud = LinuxLabCloud.start(context);
    h1 = cloud.h1;
    h2 = cloud.h2;
    agent1 = cloud.agent1;
    a = cloud.a;
    b = cloud.b;
    tenant = cloud.tenantApi();
    operator = cloud.operatorApi();
  }

  @AfterAll
  void done() throws Exception {
    LinuxLabCloud.finished(getClass());
  }

  @Test
  @Order(1)
  void aTraceAcrossTwoLinuxHostsIsDeliveredAndAgreesWithTheAgentsAppliedTables() throws Exception {
    JsonNode trace = awaitTrace(tenant, a, b.address(), "the applied trace to agree", agreeing());
    System.out.println("trace a -> b on the lab: " + trace.path("summary").asString());
    assertThat(trace.path("reachable").asBoolean()).as(trace.toString()).isTrue();
    assertThat(trace.path("summary").asString())
        .startsWith("Reachable: ")
        .contains(b.address())
        .contains("the reply comes back");
    assertThat(trace.path("blockers")).isEmpty();
    List<String> traced = Hops.traced(trace);
    assertThat(traced)
        .as("the path, there and back")
        .containsExactly(
            "source host REQUEST ENCAPSULATE",
            "destination host REQUEST DECAPSULATE",
            "destination host REQUEST DELIVER",
            "destination host REPLY ENCAPSULATE",
            "source host REPLY DECAPSULATE",
            "source host REPLY DELIVER");
    JsonNode applied = trace.path("applied");
    assertThat(applied.path("trace").path("tables").asString()).isEqualTo("APPLIED");
    assertThat(applied.path("hosts"))
        .as("both hosts' reported digests are the intended ones")
        .hasSize(2)
        .allMatch(h -> h.path("state").asString().equals("SAME"));
    assertThat(Hops.traced(applied.path("trace")))
        .as("the same path on the applied tables")
        .isEqualTo(traced);
    assertThat(trace.toString())
        .as("a tenant sees no host name or PA")
        .doesNotContain(Lab.PA_NET)
        .doesNotContain("lab-h");

    // What the real agents do with the real packet: the live probe crosses the same hops.
    JsonNode probe = tenant.probe(Map.of("sourceVnicId", a.portId(), "destination", b.address()));
    List<String> probed = Hops.probedBetweenHosts(probe);
    assertThat(probed).as(probe.toString()).isEqualTo(traced);

    // An operator's trace names the hosts, and the PA h1 encapsulates to is the one h1's agent
    // really forwards b's packets to.
    JsonNode asOperator = trace(operator, a, b.address());
    assertThat(asOperator.path("summary").asString()).contains(h1.registered().host().name());
    assertThat(LinuxLabCloud.paOf(agent1.agent().table(), b.address())).isEqualTo(h2.pa());
    assertThat(asOperator.path("steps").toString()).contains(h2.pa());
  }

  @Test
  @Order(2)
  void aHostForwardingWithOtherEntriesIsNamedByTheTraceOverItsAppliedTable() throws Exception {
    HostTable intended = agent1.agent().table();
    // h1 forwards without b's lookup record at the fabric's generation, and reports its digests.
    agent1.agent().apply(new TableMessage.Snapshot(LinuxLabCloud.without(intended, b.address())));
    assertThat(agent1.tableClient().reportStatus()).isTrue();
    try {
      JsonNode trace = trace(tenant, a, b.address());
      System.out.println("trace a -> b, h1 diverged: " + trace.path("applied").path("summary"));
      assertThat(trace.path("reachable").asBoolean())
          .as("the fabric's intended tables still reach b")
          .isTrue();
      JsonNode applied = trace.path("applied");
      assertThat(applied.path("agrees").asBoolean()).as(applied.toString()).isFalse();
      assertThat(applied.path("summary").asString())
          .startsWith("Intended and applied disagree on ")
          .contains("the source host applies other entries for this VM network");
      assertThat(applied.path("hosts").get(0).path("state").asString())
          .as("h1's entries, fetched from its agent and traced")
          .isEqualTo("DIFFERS");
      assertThat(applied.path("trace").path("summary").asString())
          .contains("no lookup record for " + b.address());
      assertThat(trace.toString()).doesNotContain("lab-h").doesNotContain(Lab.PA_NET);
    } finally {
      agent1.agent().apply(new TableMessage.Snapshot(intended));
      agent1.tableClient().reportStatus();
    }
    awaitTrace(tenant, a, b.address(), "agreeing again", agreeing());
  }

  @Test
  @Order(3)
  void aHostWhoseAgentIsPausedIsNamedAsBehind() throws Exception {
    agent1.tableClient().pause();
    DhcpRange range;
    try {
      // A change h1 must apply (a DHCP range in a's subnet, in every table of the VM network)
      // that its paused agent does not take.
      range =
          cloud.networks.addDhcpRange(
              cloud.admin,
              cloud.tenant,
              cloud.subnet.id(),
              new NewDhcpRange("10.6.0.110", "10.6.0.119", 60, List.of()));
      JsonNode trace =
          awaitTrace(
              tenant,
              a,
              b.address(),
              "the source host behind",
              n -> n.path("summary").asString().contains("latest change"));
      System.out.println("trace a -> b, h1 paused: " + trace.path("summary").asString());
      assertThat(trace.path("summary").asString())
          .contains("the source host has not applied your latest change yet");
      List<String> fixes = new ArrayList<>();
      trace.path("blockers").forEach(x -> fixes.add(x.path("fix").asString()));
      assertThat(fixes).anyMatch(f -> f.startsWith("wait a few seconds and trace again"));
      assertThat(trace.toString()).doesNotContain("lab-h").doesNotContain(Lab.PA_NET);
      JsonNode asOperator = trace(operator, a, b.address());
      assertThat(asOperator.path("summary").asString())
          .as(asOperator.toString())
          .contains(h1.registered().host().name() + " has not applied generation");
    } finally {
      agent1.tableClient().resume();
    }
    awaitTrace(tenant, a, b.address(), "h1 caught up", agreeing());
    cloud.networks.deleteDhcpRange(cloud.admin, cloud.tenant, range.id());
    awaitTrace(tenant, a, b.address(), "h1 applied the range's removal", agreeing());
  }

  private static Predicate<JsonNode> agreeing() {
    return n ->
        n.path("reachable").asBoolean()
            && n.path("blockers").isEmpty()
            && n.path("applied").path("agrees").asBoolean();
  }

  private static JsonNode trace(LabApi api, LabVm from, String to) throws Exception {
    LabApi.Answer r =
        api.post(
            "/api/v1/diagnostics/trace", Map.of("sourceVnicId", from.portId(), "destination", to));
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    return r.body();
  }

  private static JsonNode awaitTrace(
      LabApi api, LabVm from, String to, String what, Predicate<JsonNode> until) throws Exception {
    JsonNode[] last = new JsonNode[1];
    try {
      FabricLab.await(
          () -> {
            try {
              last[0] = trace(api, from, to);
              return until.test(last[0]);
            } catch (Exception e) {
              return false;
            }
          },
          what);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; last answer: " + last[0], e);
    }
    return last[0];
  }
}
