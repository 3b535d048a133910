package io.weft.portal.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.table.IpAddress;
import io.weft.portal.H2ApplicationTest;
import io.weft.portal.simulation.SimulatedCloudRunner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A real drop on a simulated host (a VM asking for an address nobody has) reaches its tenant's drop
 * list within seconds, through the agent's prompt report; the figure goes to docs/benchmarks.md
 * ("drop records in the portal within 10 s").
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:weft-simulated-cloud;DB_CLOSE_DELAY=-1",
      "weft.admin-password=" + H2ApplicationTest.ADMIN_PASSWORD,
      "weft.simulation.hosts=3",
      "weft.home=target/simulated-cloud-test"
    })
class DropsOnSimulatedCloudTest {

  @LocalServerPort int port;
  @Autowired SimulatedCloudRunner simulation;

  @Test
  void aDropOnAHostIsInItsTenantsDropListWithinSeconds() throws Exception {
    String email = "dropsim-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.example";
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
    ApiClient tenant = ApiClient.basic(port, email, "a long passphrase 42");
    String base = "/api/v1/tenants/" + created.id();
    var net = tenant.post(base + "/vm-networks", Map.of("name", "drops"));
    var subnet =
        tenant.post(
            base + "/vm-networks/" + net.id() + "/subnets",
            Map.of("name", "web", "cidr", "10.7.0.0/24"));
    var vm =
        tenant.post(
            base + "/vms",
            Map.of(
                "name",
                "dropper",
                "nics",
                List.of(
                    Map.of(
                        "subnetId", subnet.id(), "addressing", "STATIC", "address", "10.7.0.10"))));
    String nic = vm.body().path("nics").get(0).path("id").asString();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (simulation.vm(nic).isEmpty()) {
      assertThat(System.nanoTime()).as("the VM comes alive").isLessThan(deadline);
      Thread.sleep(100);
    }
    long t0 = System.nanoTime();
    // ARP for an address no record has: the host drops it (NO_ROUTE), never floods it.
    simulation.vm(nic).orElseThrow().ping(IpAddress.parse("10.7.0.99"), Duration.ofMillis(200));
    JsonNode found = null;
    while (found == null) {
      assertThat(System.nanoTime() - t0)
          .as("the drop is listed within 10 s")
          .isLessThan(Duration.ofSeconds(10).toNanos());
      for (JsonNode d :
          tenant.get("/api/v1/diagnostics/drops?vmNetwork=" + net.id()).body().path("drops")) {
        if ("10.7.0.99".equals(d.path("destination").asString())) {
          found = d;
        }
      }
      Thread.sleep(50);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("drop listed through the API %.2f s after the VM sent it%n", seconds);
    assertThat(found.path("reason").asString()).isEqualTo("NO_ROUTE");
    assertThat(found.path("protocol").asString()).isEqualTo("ARP");
    assertThat(found.path("vnicId").asString()).isEqualTo(nic);
    assertThat(found.path("host").isNull() || found.path("host").isMissingNode())
        .as("no host name for a tenant")
        .isTrue();
  }
}
