package io.weft.portal.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.Caller;
import io.weft.fabric.HostService;
import io.weft.fabric.HostState;
import io.weft.fabric.NewHost;
import io.weft.fabric.NewLogicalNetwork;
import io.weft.fabric.RegisteredHost;
import io.weft.fabric.VmService;
import io.weft.portal.H2ApplicationTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Drops an agent reports reach the API: per VM network for its tenant (no host name, no PA), per
 * host for operators, never for another tenant; every answer says how many records were lost.
 */
@H2ApplicationTest
class DropsApiTest {

  @LocalServerPort int port;
  @Autowired HostService hosts;
  @Autowired VmService vms;

  @Test
  void aReportedDropIsListedForItsTenantAndOperatorsAndHiddenFromAnAttacker() {
    ApiClient operator = ApiClient.basic(port, "admin", H2ApplicationTest.ADMIN_PASSWORD);
    Caller op = Caller.system("test");
    var ln =
        hosts.createLogicalNetwork(
            op, new NewLogicalNetwork("drops-site", "192.168.211.0/24", "NVGRE", 1500));
    RegisteredHost host =
        hosts.registerHost(
            op,
            new NewHost(
                "drop-host-" + UUID.randomUUID().toString().substring(0, 6),
                ln.id().toString(),
                null,
                4096));
    // Placement spreads: the host with the most free slots takes the VM below.
    hosts.setHostState(op, host.host().id(), HostState.READY);
    ApiTenant t = ApiTenant.signUp(port, "drops");
    var net = t.api().post(t.path("/vm-networks"), Map.of("name", "prod"));
    var subnet =
        t.api()
            .post(
                t.path("/vm-networks/" + net.id() + "/subnets"),
                Map.of("name", "web", "cidr", "10.0.0.0/24"));
    String vnic = t.staticVm("one", subnet.id(), "10.0.0.10").nicId();
    assertThat(
            vms.findVmsByVnic(op, List.of(io.weft.fabric.VnicId.parse(vnic)))
                .getFirst()
                .placement()
                .orElseThrow()
                .hostId())
        .isEqualTo(host.host().id());
    int vsid =
        t.api()
            .get(t.path("/vm-networks/" + net.id() + "/subnets"))
            .body()
            .get(0)
            .path("vsid")
            .asInt();

    ApiClient agent = ApiClient.bearer(port, host.agentToken());
    Instant at = Instant.parse("2026-12-04T15:00:00.123456Z");
    var reported =
        agent.post(
            "/api/v1/agent/status",
            status(
                host,
                3,
                // Two of the ring's losses were this VM network's, one had no VSID.
                Map.of(String.valueOf(vsid), 2, "0", 1),
                List.of(
                    drop(0, at, vnic, vsid, "10.0.0.99", "DHCP_GUARD"),
                    drop(1, at.plusMillis(5), vnic, vsid, "10.0.1.7", "NO_ROUTE"))));
    assertThat(reported.status()).as(reported.toString()).isEqualTo(204);
    // The same report again (its answer lost): nothing is stored twice.
    agent.post(
        "/api/v1/agent/status",
        status(
            host,
            0,
            Map.of(),
            List.of(drop(1, at.plusMillis(5), vnic, vsid, "10.0.1.7", "NO_ROUTE"))));

    var mine = t.api().get("/api/v1/diagnostics/drops?vmNetwork=" + net.id());
    assertThat(mine.status()).as(mine.toString()).isEqualTo(200);
    JsonNode drops = mine.body().path("drops");
    assertThat(drops).hasSize(2);
    assertThat(drops.get(0).path("reason").asString()).isEqualTo("NO_ROUTE");
    assertThat(drops.get(0).path("destination").asString()).isEqualTo("10.0.1.7");
    assertThat(drops.get(0).path("vnicId").asString()).isEqualTo(vnic);
    assertThat(drops.get(0).path("decidedBy").asString()).contains("no record for 10.0.1.7");
    assertThat(mine.body().path("lost").asLong()).as("the tenant's own losses").isEqualTo(2);
    assertThat(mine.body().toString())
        .doesNotContain(host.host().name())
        .doesNotContain("192.168.211.");
    assertThat(t.api().get("/api/v1/diagnostics/drops").body().path("drops")).hasSize(2);

    var byHost = operator.get("/api/v1/diagnostics/drops?host=" + host.host().id());
    assertThat(byHost.status()).isEqualTo(200);
    assertThat(byHost.body().path("drops").get(0).path("host").asString())
        .isEqualTo(host.host().name());
    assertThat(byHost.body().path("drops").get(0).path("outerSource").asString())
        .isEqualTo("192.168.211.250");
    assertThat(byHost.body().path("lost").asLong()).as("the host's total").isEqualTo(3);

    ApiTenant attacker = ApiTenant.signUp(port, "drops");
    // The attacker's VM shares the host: the host losing the victim's records tells it nothing.
    var attackerNet = attacker.api().post(attacker.path("/vm-networks"), Map.of("name", "spy"));
    var attackerSubnet =
        attacker
            .api()
            .post(
                attacker.path("/vm-networks/" + attackerNet.id() + "/subnets"),
                Map.of("name", "spy", "cidr", "10.0.0.0/24"));
    String spy = attacker.staticVm("spy", attackerSubnet.id(), "10.0.0.10").nicId();
    assertThat(
            vms.findVmsByVnic(op, List.of(io.weft.fabric.VnicId.parse(spy)))
                .getFirst()
                .placement()
                .orElseThrow()
                .hostId())
        .isEqualTo(host.host().id());
    agent.post("/api/v1/agent/status", status(host, 5, Map.of(String.valueOf(vsid), 5), List.of()));
    assertThat(attacker.api().get("/api/v1/diagnostics/drops").body().path("lost").asLong())
        .isZero();
    assertThat(
            attacker
                .api()
                .get("/api/v1/diagnostics/drops?vmNetwork=" + attackerNet.id())
                .body()
                .path("lost")
                .asLong())
        .isZero();
    assertThat(t.api().get("/api/v1/diagnostics/drops").body().path("lost").asLong()).isEqualTo(7);
    assertThat(
            operator
                .get("/api/v1/diagnostics/drops?host=" + host.host().id())
                .body()
                .path("lost")
                .asLong())
        .as("the host's total, for operators")
        .isEqualTo(8);
    var badLoss = agent.post("/api/v1/agent/status", status(host, 1, Map.of("many", 1), List.of()));
    assertThat(badLoss.status()).isEqualTo(400);
    assertThat(badLoss.body().path("field").asString()).isEqualTo("dropRecords.lostByVsid");
    var stolen = attacker.api().get("/api/v1/diagnostics/drops?vmNetwork=" + net.id());
    assertThat(stolen.status()).isEqualTo(404);
    assertThat(stolen.body().path("field").asString()).isEqualTo("vmNetwork");
    assertThat(attacker.api().get("/api/v1/diagnostics/drops").body().path("drops")).isEmpty();
    var hostProbe = attacker.api().get("/api/v1/diagnostics/drops?host=" + host.host().id());
    assertThat(hostProbe.status()).isEqualTo(404);
    assertThat(hostProbe.body().path("field").asString()).isEqualTo("host");

    for (var bad :
        List.of(
            List.of("limit=0", "limit"),
            List.of("limit=many", "limit"),
            List.of("vmNetwork=nope", "vmNetwork"),
            List.of("host=nope", "host"))) {
      var refused = operator.get("/api/v1/diagnostics/drops?" + bad.get(0));
      assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
      assertThat(refused.body().path("field").asString()).isEqualTo(bad.get(1));
    }
    Map<String, Object> badDrop = new HashMap<>(drop(7, at, vnic, vsid, "10.0.0.1", "NO_ROUTE"));
    badDrop.put("at", "yesterday");
    var badReport = agent.post("/api/v1/agent/status", status(host, 0, Map.of(), List.of(badDrop)));
    assertThat(badReport.status()).isEqualTo(400);
    assertThat(badReport.body().path("field").asString()).isEqualTo("dropRecords.records.at");

    List<String> audited = new ArrayList<>();
    operator
        .get("/api/v1/audit?limit=100")
        .body()
        .forEach(l -> {
          if (l.path("action").asString().equals("diagnostics.drops")) {
            audited.add(l.path("result").asString());
          }
        });
    assertThat(audited).contains("OK", "REFUSED");
    hosts.setHostState(op, host.host().id(), HostState.DOWN);
  }

  private static Map<String, Object> status(
      RegisteredHost host,
      long lost,
      Map<String, Object> lostByVsid,
      List<Map<String, Object>> records) {
    return Map.of(
        "formatVersion",
        1,
        "hostId",
        host.host().id().toString(),
        "generation",
        0,
        "dropRecords",
        Map.of("lost", lost, "lostByVsid", lostByVsid, "nextSequence", 2, "records", records));
  }

  private static Map<String, Object> drop(
      long sequence, Instant at, String vnic, int vsid, String destination, String reason) {
    Map<String, Object> d = new HashMap<>();
    d.put("sequence", sequence);
    d.put("at", at.toString());
    d.put("portId", vnic);
    d.put("vsid", vsid);
    d.put("source", "10.0.0.10");
    d.put("destination", destination);
    d.put("protocol", "UDP");
    d.put("sourcePort", 40000);
    d.put("destinationPort", 53);
    d.put("reason", reason);
    d.put(
        "decidedBy", "no record for " + destination + " in VSID " + vsid + " (table generation 1)");
    d.put("generation", 1);
    d.put("outerSource", "192.168.211.250");
    return d;
  }
}
