package io.weft.portal.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.portal.H2ApplicationTest;
import io.weft.portal.Hops;
import io.weft.portal.api.SimulatedCloud.LiveVm;
import io.weft.portal.simulation.SimulatedCloudRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Live probes on the default simulated cloud (the context of {@link SimulatedCloudEndToEndTest}): a
 * tenant probes between its VMs on different hosts and gets the path every agent recorded with the
 * simulated VM's own reply and an RTT, without host names or PAs; the operator sees the hosts; the
 * trace agrees; a missing record is named; an attacker gets 404; bad fields are named; probes are
 * rate-limited per tenant and audited.
 */
@SimulatedCloudTest
class ProbeOnSimulatedCloudTest {

  @LocalServerPort int port;
  @Autowired SimulatedCloudRunner simulation;

  private SimulatedCloud cloud() {
    return new SimulatedCloud(port, simulation);
  }

  @Test
  void aTenantProbesBetweenItsVmsAcrossHostsAndSeesThePathWithoutHosts() {
    ApiClient operator = ApiClient.basic(port, "admin", H2ApplicationTest.ADMIN_PASSWORD);
    cloud().awaitReadyHosts();
    ApiTenant t = ApiTenant.signUp(port, "probe");
    String[] subnets = SimulatedCloud.subnets(t, "prod", "10.0.0.0/24", "10.0.1.0/24");
    List<LiveVm> vms = new ArrayList<>();
    vms.add(cloud().liveVm(t, "p1", subnets[0], "10.0.0.10"));
    vms.add(cloud().liveVm(t, "p2", subnets[0], "10.0.0.11"));
    vms.add(cloud().liveVm(t, "p3", subnets[1], "10.0.1.10"));
    LiveVm from = vms.getFirst();
    LiveVm to = SimulatedCloud.onAnotherHost(vms, from);

    JsonNode answer = probe(t.api(), from, to.address());
    assertThat(answer.path("state").asString()).as(answer.toString()).isEqualTo("DONE");
    assertThat(answer.path("reached").asBoolean()).as(answer.toString()).isTrue();
    assertThat(answer.path("summary").asString()).startsWith("Reply received: " + to.address());
    assertThat(answer.path("rttMillis").get(0).asDouble()).isPositive().isLessThan(1000);
    List<String> hops = Hops.probed(answer);
    assertThat(hops)
        .contains(
            "source host REQUEST ENCAPSULATE",
            "destination host REQUEST DECAPSULATE",
            "destination host REQUEST DELIVER",
            // The simulated VM's own reply, seen as it entered its host's switch.
            "destination host REPLY PORT_SECURITY",
            "destination host REPLY ENCAPSULATE",
            "source host REPLY DECAPSULATE",
            "source host REPLY DELIVER");
    assertThat(answer.path("checks").get(0).path("name").asString()).isEqualTo("GATEWAY_ARP");
    assertThat(answer.path("checks").get(0).path("ok").asBoolean()).isTrue();
    assertThat(answer.toString()).doesNotContain("sim-host").doesNotContain("192.168.100.");

    // The trace over the intended tables agrees with the probe on the working path.
    ApiClient.Response traced =
        t.api()
            .post(
                "/api/v1/diagnostics/trace",
                Map.of("sourceVnicId", from.nic(), "destination", to.address()));
    assertThat(traced.body().path("reachable").asBoolean()).as(traced.toString()).isTrue();

    // The operator reads the same probe with the hosts named.
    ApiClient.Response asOperator =
        operator.get("/api/v1/diagnostics/probes/" + answer.path("id").asString());
    assertThat(asOperator.body().toString()).contains("sim-host-").contains("PA 192.168.100.");

    // An address the tables lack: the VM's ARP is not answered, and the answer says why.
    JsonNode missing = probe(t.api(), from, "10.0.0.99");
    assertThat(missing.path("reached").asBoolean()).isFalse();
    assertThat(missing.path("sent").asInt()).isZero();
    assertThat(missing.path("summary").asString())
        .startsWith("Dropped on the source host")
        .contains("no lookup record for 10.0.0.99");

    // The attacker: neither the vNIC nor the probe exists for another tenant.
    ApiTenant attacker = ApiTenant.signUp(port, "probe");
    ApiClient.Response stolen =
        attacker
            .api()
            .post(
                "/api/v1/diagnostics/probes",
                Map.of("sourceVnicId", from.nic(), "destination", to.address()));
    assertThat(stolen.status()).isEqualTo(404);
    assertThat(stolen.body().path("field").asString()).isEqualTo("sourceVnicId");
    ApiClient.Response peek =
        attacker.api().get("/api/v1/diagnostics/probes/" + answer.path("id").asString());
    assertThat(peek.status()).isEqualTo(404);
    assertThat(peek.body().toString()).doesNotContain(to.address());

    // Every call is audited, refusals included.
    JsonNode audit = operator.get("/api/v1/audit?limit=100").body();
    assertThat(audit.toString()).contains("diagnostics.probe").contains("REFUSED");
  }

  @Test
  void badFieldsAreNamedAndProbesAreLimitedPerTenant() {
    ApiClient operator = ApiClient.basic(port, "admin", H2ApplicationTest.ADMIN_PASSWORD);
    cloud().awaitReadyHosts();
    ApiTenant t = ApiTenant.signUp(port, "probe");
    String[] subnets = SimulatedCloud.subnets(t, "prod", "10.0.0.0/24", "10.0.1.0/24");
    LiveVm from = cloud().liveVm(t, "q1", subnets[0], "10.0.0.10");
    assertThat(field(t, Map.of("destination", "10.0.0.1"))).isEqualTo("sourceVnicId");
    assertThat(field(t, Map.of("sourceVnicId", "nope", "destination", "10.0.0.1")))
        .isEqualTo("sourceVnicId");
    assertThat(field(t, Map.of("sourceVnicId", from.nic(), "destination", "10.0.0.300")))
        .isEqualTo("destination");
    assertThat(field(t, Map.of("sourceVnicId", from.nic(), "destination", "fd00::1")))
        .isEqualTo("destination");
    assertThat(field(t, Map.of("sourceVnicId", from.nic(), "destination", "10.0.0.1", "count", 6)))
        .isEqualTo("count");
    assertThat(
            field(
                t, Map.of("sourceVnicId", from.nic(), "destination", "10.0.0.1", "timeoutMs", 10)))
        .isEqualTo("timeoutMs");
    assertThat(field(t, Map.of("sourceVnicId", from.nic(), "destination", "10.0.0.1", "size", 43)))
        .isEqualTo("size");
    ApiClient.Response badWait =
        t.api().get("/api/v1/diagnostics/probes/" + UUID.randomUUID() + "?wait=99");
    assertThat(badWait.status()).isEqualTo(400);
    assertThat(badWait.body().path("field").asString()).isEqualTo("wait");

    int accepted = 0;
    ApiClient.Response last = null;
    for (int i = 0; i < 40; i++) {
      last =
          t.api()
              .post(
                  "/api/v1/diagnostics/probes",
                  Map.of("sourceVnicId", from.nic(), "destination", "10.0.0.1"));
      if (last.status() != 202) {
        break;
      }
      accepted++;
    }
    assertThat(accepted).isEqualTo(30);
    assertThat(last.status()).isEqualTo(429);
    assertThat(last.body().path("detail").asString()).contains("per tenant");
  }

  private static String field(ApiTenant t, Map<String, Object> body) {
    ApiClient.Response r = t.api().post("/api/v1/diagnostics/probes", body);
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    return r.body().path("field").asString();
  }

  static JsonNode probe(ApiClient api, LiveVm from, String destination) {
    ApiClient.Response started =
        api.post(
            "/api/v1/diagnostics/probes",
            Map.of("sourceVnicId", from.nic(), "destination", destination));
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    String id = started.body().path("id").asString();
    ApiClient.Response done = api.get("/api/v1/diagnostics/probes/" + id + "?wait=10");
    assertThat(done.status()).as(done.toString()).isEqualTo(200);
    return done.body();
  }
}
