package io.weft.portal.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.table.TableJson;
import io.weft.fabric.Caller;
import io.weft.fabric.HostService;
import io.weft.fabric.HostState;
import io.weft.fabric.NewHost;
import io.weft.fabric.NewLogicalNetwork;
import io.weft.fabric.tables.AgentReport;
import io.weft.fabric.tables.HostTableService;
import io.weft.portal.H2ApplicationTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The trace over REST: a tenant between its own VMs, an attacker, bad input, every call audited.
 */
@H2ApplicationTest
class DiagnosticsApiTest {

  @LocalServerPort int port;
  @Autowired HostService hosts;
  @Autowired HostTableService tables;

  @Test
  void aTenantTracesItsOwnVmsAnAttackerGets404AndBadFieldsAreNamed() {
    ApiClient operator = ApiClient.basic(port, "admin", H2ApplicationTest.ADMIN_PASSWORD);
    readyHosts();
    ApiTenant t = ApiTenant.signUp(port, "d");
    var net = t.api().post(t.path("/vm-networks"), Map.of("name", "prod"));
    var subnet =
        t.api()
            .post(
                t.path("/vm-networks/" + net.id() + "/subnets"),
                Map.of("name", "web", "cidr", "10.0.0.0/24"));
    String one = t.staticVm("one", subnet.id(), "10.0.0.10").nicId();
    t.staticVm("two", subnet.id(), "10.0.0.11");
    var traced = traceOnceApplied(t, one);
    assertThat(traced.status()).as(traced.toString()).isEqualTo(200);
    assertThat(traced.body().path("reachable").asBoolean()).as(traced.body().toString()).isTrue();
    assertThat(traced.body().path("summary").asString()).startsWith("Reachable: ICMP echo");
    assertThat(traced.body().toString()).doesNotContain("test-host").doesNotContain("\"PA ");

    var asOperator =
        operator.post(
            "/api/v1/diagnostics/trace",
            Map.of(
                "sourceVnicId", one, "destination", "10.0.0.11", "protocol", "TCP", "port", 443));
    assertThat(asOperator.status()).isEqualTo(200);
    assertThat(asOperator.body().path("packet").asString())
        .isEqualTo("TCP SYN to port 443, 40 bytes");

    ApiTenant attacker = ApiTenant.signUp(port, "d");
    var stolen =
        attacker
            .api()
            .post(
                "/api/v1/diagnostics/trace",
                Map.of("sourceVnicId", one, "destination", "10.0.0.11"));
    assertThat(stolen.status()).isEqualTo(404);
    assertThat(stolen.body().path("field").asString()).isEqualTo("sourceVnicId");

    for (var bad :
        List.of(
            Map.of("destination", "10.0.0.999", "field", "destination"),
            Map.of("protocol", "GRE", "field", "protocol"),
            Map.<String, Object>of("protocol", "UDP", "port", 0, "field", "port"),
            Map.<String, Object>of("size", 10, "field", "size"))) {
      Map<String, Object> body =
          new HashMap<>(Map.of("sourceVnicId", one, "destination", "10.0.0.11"));
      body.putAll(bad);
      body.remove("field");
      var refused = t.api().post("/api/v1/diagnostics/trace", body);
      assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
      assertThat(refused.body().path("field").asString()).isEqualTo(bad.get("field"));
    }
    var unknown =
        t.api()
            .post(
                "/api/v1/diagnostics/trace",
                Map.of("sourceVnicId", UUID.randomUUID().toString(), "destination", "10.0.0.11"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(ApiClient.anonymous(port).post("/api/v1/diagnostics/trace", Map.of()).status())
        .isEqualTo(401);

    var audit = operator.get("/api/v1/audit?limit=50").body();
    List<String> results = new java.util.ArrayList<>();
    audit.forEach(l -> {
      if (l.path("action").asString().equals("diagnostics.trace")) {
        results.add(l.path("result").asString());
      }
    });
    assertThat(results).contains("OK", "REFUSED");
  }

  @Test
  void operatorsReadTheDriftAuditTenantsAreRefused() {
    readyHosts();
    ApiClient operator = ApiClient.basic(port, "admin", H2ApplicationTest.ADMIN_PASSWORD);
    var host = hosts.listHosts(Caller.system("test")).getFirst();
    tables.reportApplied(host.id(), new AgentReport(0, "sha256:stale", null, null));
    var audited = operator.post("/api/v1/diagnostics/drift", Map.of());
    assertThat(audited.status()).as(audited.toString()).isEqualTo(200);
    List<String> verdicts = new java.util.ArrayList<>();
    audited
        .body()
        .path("hosts")
        .forEach(h -> {
          if (h.path("hostName").asString().equals(host.name())) {
            verdicts.add(h.path("verdict").asString());
          }
        });
    assertThat(verdicts).containsExactly("BEHIND");
    assertThat(operator.get("/api/v1/diagnostics/drift").status()).isEqualTo(200);
    var one = operator.get("/api/v1/diagnostics/drift/hosts/" + host.id());
    assertThat(one.body().path("summary").asString()).contains("has not applied generation");
    assertThat(operator.get("/api/v1/diagnostics/drift/hosts/nope").status()).isEqualTo(404);
    ApiTenant t = ApiTenant.signUp(port, "d");
    assertThat(t.api().get("/api/v1/diagnostics/drift").status()).isEqualTo(403);
    allApplied();
  }

  /**
   * Traces after every host reported its intended table. The context is shared with other tests
   * whose background work may still move a table on; the trace then rightly says the host is
   * behind, so report again and retry a few times.
   */
  private ApiClient.Response traceOnceApplied(ApiTenant t, String source) {
    ApiClient.Response traced = null;
    for (int attempt = 0; attempt < 10; attempt++) {
      allApplied();
      traced =
          t.api()
              .post(
                  "/api/v1/diagnostics/trace",
                  Map.of("sourceVnicId", source, "destination", "10.0.0.11"));
      if (traced.status() != 200 || traced.body().path("reachable").asBoolean()) {
        return traced;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return traced;
  }

  private void readyHosts() {
    Caller op = Caller.system("test");
    if (hosts.listHosts(op).stream().anyMatch(h -> h.state() == HostState.READY)) {
      return;
    }
    var ln =
        hosts.createLogicalNetwork(
            op, new NewLogicalNetwork("diag-site", "192.168.210.0/24", "NVGRE", 1500));
    for (int i = 1; i <= 2; i++) {
      var h = hosts.registerHost(op, new NewHost("test-host-d" + i, ln.id().toString(), null, 50));
      hosts.setHostState(op, h.host().id(), HostState.READY);
    }
  }

  private void allApplied() {
    for (var h : hosts.listHosts(Caller.system("test"))) {
      var table = tables.intendedTable(h.id());
      tables.reportApplied(
          h.id(), new AgentReport(table.generation(), TableJson.digest(table), null, null));
    }
  }
}
