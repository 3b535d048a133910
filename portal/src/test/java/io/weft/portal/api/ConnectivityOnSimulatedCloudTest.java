package io.weft.portal.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.sim.SimulatedHost;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.TableMessage;
import io.weft.portal.H2ApplicationTest;
import io.weft.portal.api.SimulatedCloud.LiveVm;
import io.weft.portal.simulation.SimulatedCloudRunner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The one answer on the default simulated cloud (the context of the other simulated-cloud tests):
 * between VMs on two hosts it works, with the RTT, and the trace and the probe cross the same
 * hosts; an address nobody has and a host forwarding without the destination's lookup record are
 * each named in the sentence; tenants never see a host name or PA; an attacker gets 404; bad fields
 * are named; the probes' rate limit applies; every call is audited.
 */
@SimulatedCloudTest
class ConnectivityOnSimulatedCloudTest {

  private static final String PATH = "/api/v1/diagnostics/connectivity";

  @LocalServerPort int port;
  @Autowired SimulatedCloudRunner simulation;

  private SimulatedCloud cloud() {
    return new SimulatedCloud(port, simulation);
  }

  @Test
  void oneSentenceSaysItWorksAcrossHostsOrNamesWhereAndWhyItBreaks() throws Exception {
    ApiClient operator = ApiClient.basic(port, "admin", H2ApplicationTest.ADMIN_PASSWORD);
    cloud().awaitReadyHosts();
    ApiTenant t = ApiTenant.signUp(port, "one");
    String subnet = SimulatedCloud.subnets(t, "prod", "10.0.0.0/24")[0];
    List<LiveVm> vms = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      vms.add(cloud().liveVm(t, "c" + i, subnet, "10.0.0." + (10 + i)));
    }
    LiveVm from = vms.getFirst();
    LiveVm to = SimulatedCloud.onAnotherHost(vms, from);
    Map<String, Object> ping =
        SimulatedCloud.awaitWorks("the hosts apply the intended entries", t, from, to.address());

    // A working path between two hosts: the sentence first, with the RTT.
    ApiClient.Response asked = t.api().post(PATH, ping);
    assertThat(asked.status()).as(asked.toString()).isEqualTo(200);
    JsonNode works = asked.body();
    assertThat(works.path("state").asString()).isEqualTo("DONE");
    assertThat(works.path("works").asBoolean()).isTrue();
    assertThat(works.path("sentence").asString())
        .startsWith("Works: " + to.address() + " answered the live probe in ")
        .contains(" ms");
    assertThat(works.path("intended").path("reachable").asBoolean()).isTrue();
    assertThat(works.path("applied").path("agrees").asBoolean()).isTrue();
    assertThat(works.path("probe").path("reached").asBoolean()).isTrue();
    // The trace and the probe agree on the working path: the same hosts, in the same order.
    Set<String> traced = new LinkedHashSet<>();
    works
        .path("intended")
        .path("steps")
        .forEach(s -> {
          if (s.path("direction").asString().equals("FORWARD")) {
            traced.add(s.path("host").asString().replaceFirst("^the ", ""));
          }
        });
    Set<String> probed = new LinkedHashSet<>();
    works.path("probe").path("hops").forEach(h -> probed.add(h.path("host").asString()));
    assertThat(probed).containsExactlyElementsOf(traced);
    assertThat(probed).containsExactly("source host", "destination host");
    List<String> path = new ArrayList<>();
    works
        .path("path")
        .forEach(h -> path.add(h.path("kind").asString() + " " + h.path("state").asString()));
    assertThat(path).containsExactly("VM OK", "HOST OK", "HOST OK", "VM OK");
    JsonNode sourceHost = works.path("path").get(1);
    assertThat(sourceHost.path("name").asString()).isEqualTo("source host");
    assertThat(sourceHost.path("requestAt").asString()).isNotBlank();
    assertThat(sourceHost.path("replyAt").asString()).isNotBlank();
    assertThat(works.toString()).doesNotContain(to.hostName()).doesNotContain("192.168.100.");
    // Polling the finished answer gives the same sentence.
    ApiClient.Response again = t.api().get(PATH + "/" + works.path("id").asString() + "?wait=1");
    assertThat(again.body().path("sentence").asString())
        .isEqualTo(works.path("sentence").asString());

    // The operator's answer names the hosts on the path.
    JsonNode operatorView = operator.post(PATH, ping).body();
    assertThat(operatorView.path("path").get(2).path("name").asString()).isEqualTo(to.hostName());

    // An address nobody has: the sentence names the missing record.
    JsonNode nobody =
        t.api().post(PATH, Map.of("sourceVnicId", from.nic(), "destination", "10.0.0.99")).body();
    assertThat(nobody.path("works").asBoolean()).isFalse();
    assertThat(nobody.path("sentence").asString())
        .startsWith("Dropped on the source host: no lookup record for 10.0.0.99 in VSID ")
        .contains("no VM of the tenant has that address");
    assertThat(nobody.path("path").get(1).path("state").asString()).isEqualTo("DROPPED");
    assertThat(nobody.path("path").get(2).path("state").asString()).isEqualTo("NOT_REACHED");

    // The source host forwards without the destination's lookup record: the live drop and why.
    SimulatedHost source = simulation.host(from.host()).orElseThrow();
    HostTable intended = source.agent().table();
    source
        .agent()
        .apply(new TableMessage.Snapshot(SimulatedCloud.withoutRecord(intended, to.address())));
    assertThat(source.tableClient().reportStatus()).isTrue();
    try {
      JsonNode stale = t.api().post(PATH, ping).body();
      assertThat(stale.path("works").asBoolean()).as(stale.toString()).isFalse();
      assertThat(stale.path("sentence").asString())
          .as(stale.toString())
          .startsWith("Dropped on the source host: ")
          .contains("no lookup record for " + to.address())
          .contains("the source host applies other entries for this VM network");
      assertThat(stale.path("intended").path("reachable").asBoolean()).isTrue();
      assertThat(stale.path("applied").path("agrees").asBoolean()).isFalse();
      assertThat(stale.toString()).doesNotContain(from.hostName()).doesNotContain("192.168.100.");
      JsonNode staleForOperator = operator.post(PATH, ping).body();
      assertThat(staleForOperator.path("sentence").asString())
          .startsWith("Dropped on " + from.hostName() + ": ")
          .contains(from.hostName() + " applies other entries");
    } finally {
      source.agent().apply(new TableMessage.Snapshot(intended));
      source.tableClient().reportStatus();
    }

    // TCP: the traces check the port, the probe's echo the path.
    JsonNode tcp =
        t.api()
            .post(
                PATH,
                Map.of(
                    "sourceVnicId",
                    from.nic(),
                    "destination",
                    to.address(),
                    "protocol",
                    "TCP",
                    "port",
                    443))
            .body();
    assertThat(tcp.path("packet").asString()).isEqualTo("TCP SYN to port 443, 40 bytes");
    assertThat(tcp.path("notes").toString()).contains("checked by the traces only");

    // The attacker: neither the vNIC nor the answer exists for another tenant.
    ApiTenant attacker = ApiTenant.signUp(port, "one");
    ApiClient.Response stolen = attacker.api().post(PATH, ping);
    assertThat(stolen.status()).isEqualTo(404);
    assertThat(stolen.body().path("field").asString()).isEqualTo("sourceVnicId");
    ApiClient.Response peek = attacker.api().get(PATH + "/" + works.path("id").asString());
    assertThat(peek.status()).isEqualTo(404);
    assertThat(peek.body().toString()).doesNotContain(to.address());
    // A tenant cannot read what an operator asked about its own VMs (it names hosts).
    assertThat(t.api().get(PATH + "/" + operatorView.path("id").asString()).status())
        .isEqualTo(404);

    JsonNode audit = operator.get("/api/v1/audit?limit=200").body();
    List<String> results = new ArrayList<>();
    audit.forEach(l -> {
      if (l.path("action").asString().equals("diagnostics.connectivity")) {
        results.add(l.path("result").asString());
      }
    });
    assertThat(results).contains("OK", "REFUSED");
  }

  @Test
  void badFieldsAreNamedAndTheProbesRateLimitApplies() {
    ApiClient operator = ApiClient.basic(port, "admin", H2ApplicationTest.ADMIN_PASSWORD);
    cloud().awaitReadyHosts();
    ApiTenant t = ApiTenant.signUp(port, "one");
    LiveVm from =
        cloud().liveVm(t, "b1", SimulatedCloud.subnets(t, "prod", "10.0.0.0/24")[0], "10.0.0.10");
    for (var bad :
        List.<Map<String, Object>>of(
            Map.of("sourceVnicId", "not-a-vnic", "field", "sourceVnicId"),
            Map.of("destination", "10.0.0.300", "field", "destination"),
            Map.of("protocol", "GRE", "field", "protocol"),
            Map.of("protocol", "UDP", "port", 0, "field", "port"),
            Map.of("protocol", "TCP", "port", 65536, "field", "port"),
            Map.of("waitSeconds", 31, "field", "waitSeconds"))) {
      Map<String, Object> body =
          new HashMap<>(Map.of("sourceVnicId", from.nic(), "destination", "10.0.0.1"));
      body.putAll(bad);
      body.remove("field");
      ApiClient.Response refused = t.api().post(PATH, body);
      assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
      assertThat(refused.body().path("field").asString()).isEqualTo(bad.get("field"));
    }
    ApiClient.Response unknown =
        t.api()
            .post(
                PATH,
                Map.of("sourceVnicId", UUID.randomUUID().toString(), "destination", "10.0.0.1"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body().path("field").asString()).isEqualTo("sourceVnicId");
    assertThat(t.api().get(PATH + "/" + UUID.randomUUID()).status()).isEqualTo(404);
    assertThat(t.api().get(PATH + "/" + UUID.randomUUID() + "?wait=99").status()).isEqualTo(400);

    int accepted = 0;
    ApiClient.Response last = null;
    for (int i = 0; i < 40; i++) {
      last =
          t.api()
              .post(
                  PATH,
                  Map.of("sourceVnicId", from.nic(), "destination", "10.0.0.1", "waitSeconds", 0));
      if (last.status() != 202 && last.status() != 200) {
        break;
      }
      accepted++;
    }
    assertThat(accepted).isEqualTo(30);
    assertThat(last.status()).isEqualTo(429);
    assertThat(last.body().path("detail").asString()).contains("per tenant");
  }
}
