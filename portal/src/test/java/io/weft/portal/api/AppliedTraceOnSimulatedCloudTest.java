package io.weft.portal.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.sim.SimulatedHost;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.LookupRecord;
import io.weft.dataplane.table.TableMessage;
import io.weft.dataplane.table.VmNetworkTable;
import io.weft.portal.H2ApplicationTest;
import io.weft.portal.simulation.SimulatedCloudRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The trace over applied tables on the simulated cloud: while every host applies what the fabric
 * intends it agrees with the intended trace; a host whose agent forwards with other entries (here:
 * a lookup record gone) shows as the hop where the two part, for tenants without its name.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:weft-simulated-cloud;DB_CLOSE_DELAY=-1",
      "weft.admin-password=" + H2ApplicationTest.ADMIN_PASSWORD,
      "weft.simulation.hosts=3",
      "weft.home=target/simulated-cloud-test"
    })
class AppliedTraceOnSimulatedCloudTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @LocalServerPort int port;
  @Autowired SimulatedCloudRunner simulation;

  @Test
  void aHostForwardingWithOtherEntriesIsTheHopWhereIntendedAndAppliedPart() throws Exception {
    ApiClient operator = ApiClient.basic(port, "admin", H2ApplicationTest.ADMIN_PASSWORD);
    String email = "applied-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.example";
    var created =
        ApiClient.anonymous(port)
            .post(
                "/api/v1/signup",
                Map.of(
                    "organization",
                    "Org " + email,
                    "adminEmail",
                    email,
                    "password",
                    "a long passphrase 42"));
    assertThat(created.status()).isEqualTo(201);
    ApiClient tenant = ApiClient.basic(port, email, "a long passphrase 42");
    String base = "/api/v1/tenants/" + created.id();
    var net = tenant.post(base + "/vm-networks", Map.of("name", "applied"));
    var subnet =
        tenant.post(
            base + "/vm-networks/" + net.id() + "/subnets",
            Map.of("name", "web", "cidr", "10.8.0.0/24"));
    String[] one = vm(tenant, base, "ap-1", subnet.id(), "10.8.0.10");
    String[] two = vm(tenant, base, "ap-2", subnet.id(), "10.8.0.11");
    String host1 =
        operator.get(base + "/vms/" + one[0]).body().path("placement").path("hostId").asString();
    String hostName =
        operator.get(base + "/vms/" + one[0]).body().path("placement").path("hostName").asString();
    Map<String, Object> ping = Map.of("sourceVnicId", one[1], "destination", "10.8.0.11");
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
    source.agent().apply(new TableMessage.Snapshot(without(intended, "10.8.0.11")));
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

  private static HostTable without(HostTable t, String ca) {
    List<VmNetworkTable> networks = new ArrayList<>();
    for (VmNetworkTable n : t.networks()) {
      List<LookupRecord> records =
          n.lookupRecords().stream().filter(r -> !r.ca().toString().equals(ca)).toList();
      networks.add(new VmNetworkTable(n.routingDomainId(), n.subnets(), records, n.ports()));
    }
    return new HostTable(
        t.hostId(), t.generation(), t.encapsulation(), t.localPa(), t.overlayMtu(), networks);
  }

  private static String[] vm(ApiClient t, String base, String name, String subnet, String address) {
    var r =
        t.post(
            base + "/vms",
            Map.of(
                "name",
                name,
                "nics",
                List.of(Map.of("subnetId", subnet, "addressing", "STATIC", "address", address))));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return new String[] {r.id(), r.body().path("nics").get(0).path("id").asString()};
  }

  private static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.get()) {
      assertThat(System.nanoTime())
          .as("waited " + WAIT.toSeconds() + " s for " + what)
          .isLessThan(deadline);
      Thread.sleep(200);
    }
  }
}
