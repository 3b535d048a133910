package io.weft.portal.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.sim.SimulatedHost;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.TableMessage;
import io.weft.portal.simulation.SimulatedCloudRunner;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The trace over applied tables on the simulated cloud: while every host applies what the fabric
 * intends it agrees with the intended trace; a host whose agent forwards with other entries (here:
 * a lookup record gone) shows as the hop where the two part, for tenants without its name.
 */
@SimulatedCloudTest
class AppliedTraceOnSimulatedCloudTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @LocalServerPort int port;
  @Autowired SimulatedCloudRunner simulation;

  @Test
  void aHostForwardingWithOtherEntriesIsTheHopWhereIntendedAndAppliedPart() throws Exception {
    SimulatedCloud cloud = new SimulatedCloud(port, simulation);
    ApiClient operator = cloud.operator();
    SimulatedCloud.TenantNetwork net = cloud.tenantNetwork("applied", "applied", "10.8.0.0/24");
    ApiClient tenant = net.tenant().api();
    SimulatedCloud.LiveVm one = cloud.liveVm(net.tenant(), "ap-1", net.subnet(), "10.8.0.10");
    cloud.liveVm(net.tenant(), "ap-2", net.subnet(), "10.8.0.11");
    String host1 = one.host();
    String hostName =
        cloud.placed(net.tenant(), one.id()).path("placement").path("hostName").asString();
    Map<String, Object> ping = Map.of("sourceVnicId", one.nic(), "destination", "10.8.0.11");
    await(
        "the trace over applied tables agrees",
        () ->
            tenant
                .post("/api/v1/diagnostics/trace", ping)
                .body()
                .path("applied")
                .path("agrees")
                .asBoolean());
    JsonNode agreed = tenant.post("/api/v1/diagnostics/trace", ping).body().path("applied");
    assertThat(agreed.path("trace").path("tables").asString()).isEqualTo("APPLIED");
    assertThat(agreed.path("hosts")).allMatch(h -> h.path("state").asString().equals("SAME"));

    SimulatedHost source = simulation.host(host1).orElseThrow();
    HostTable intended = source.agent().table();
    source
        .agent()
        .apply(new TableMessage.Snapshot(SimulatedCloud.withoutRecord(intended, "10.8.0.11")));
    assertThat(source.tableClient().reportStatus()).isTrue();
    try {
      JsonNode answer = tenant.post("/api/v1/diagnostics/trace", ping).body();
      JsonNode applied = answer.path("applied");
      assertThat(applied.path("agrees").asBoolean()).as(applied.toString()).isFalse();
      assertThat(applied.path("summary").asString())
          .startsWith("Intended and applied disagree on ")
          .contains("source host")
          .contains("applies other entries for this VM network");
      assertThat(applied.path("hosts").get(0).path("host").asString()).isEqualTo("the source host");
      assertThat(applied.path("hosts").get(0).path("state").asString()).isEqualTo("DIFFERS");
      assertThat(applied.path("firstDifference").isObject()).as(applied.toString()).isTrue();
      assertThat(applied.path("trace").path("reachable").asBoolean()).isFalse();
      assertThat(answer.path("reachable").asBoolean()).as("intended tables still reach").isTrue();
      assertThat(answer.toString()).doesNotContain(hostName).doesNotContain("192.168.100.");

      JsonNode asOperator = operator.post("/api/v1/diagnostics/trace", ping).body().path("applied");
      assertThat(asOperator.path("summary").asString()).contains(hostName);
    } finally {
      source.agent().apply(new TableMessage.Snapshot(intended));
      source.tableClient().reportStatus();
    }
    await(
        "agreeing again once the host applies the intended entries",
        () ->
            tenant
                .post("/api/v1/diagnostics/trace", ping)
                .body()
                .path("applied")
                .path("agrees")
                .asBoolean());
  }

  private static void await(String what, BooleanSupplier condition) {
    ApiWaits.await(what, WAIT, condition);
  }
}
