package io.weft.portal.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.portal.H2ApplicationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Reconciliation on the default simulated cloud (the same context as {@link
 * SimulatedCloudEndToEndTest}): the agents report what their ports show, and an address still seen
 * in use is never released, even when its VM is gone.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:weft-simulated-cloud;DB_CLOSE_DELAY=-1",
      "weft.admin-password=" + H2ApplicationTest.ADMIN_PASSWORD,
      "weft.simulation.hosts=3",
      "weft.home=target/simulated-cloud-test"
    })
class ReconciliationOnSimulatedCloudTest {

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;

  @Test
  void agentsReportLeasesAndAnAddressStillInUseIsNeverReleased() {
    ApiClient operator = ApiClient.basic(port, "admin", H2ApplicationTest.ADMIN_PASSWORD);
    String email = "recon-sim-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.example";
    ApiClient.Response signup =
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
    assertThat(signup.status()).as(signup.toString()).isEqualTo(201);
    ApiClient api = ApiClient.basic(port, email, "a long passphrase 42");
    String base = "/api/v1/tenants/" + signup.id();
    String network = api.post(base + "/vm-networks", Map.of("name", "sim")).id();
    String subnet =
        api.post(
                base + "/vm-networks/" + network + "/subnets",
                Map.of("name", "web", "cidr", "10.60.0.0/24"))
            .id();
    assertThat(
            api.post(
                    base + "/subnets/" + subnet + "/dhcp-ranges",
                    Map.of("start", "10.60.0.100", "end", "10.60.0.199"))
                .status())
        .isEqualTo(201);
    ApiClient.Response created =
        api.post(
            base + "/vms",
            Map.of(
                "name", "dhcp", "nics", List.of(Map.of("subnetId", subnet, "addressing", "DHCP"))));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String vm = created.id();
    String nic = created.body().path("nics").get(0).path("id").asString();
    // The simulated VM leases its address from its host's DHCP responder; the agent reports the
    // lease at once (not at its next heartbeat).
    ApiWaits.await(
        "the simulated host reports the lease of " + nic,
        Duration.ofSeconds(20),
        () ->
            jdbc.sql("SELECT count(*) FROM recon_observation WHERE port_id = :p AND kind = 'LEASE'")
                    .param("p", nic)
                    .query(Long.class)
                    .single()
                > 0);
    String address =
        jdbc.sql("SELECT address FROM fabric_vnic WHERE id = :id")
            .param("id", UUID.fromString(nic))
            .query(String.class)
            .single();
    // Behind IPAM's back: the model forgets the VM, IPAM still holds its address and MAC.
    jdbc.sql("DELETE FROM fabric_vnic WHERE vm_id = :vm").param("vm", UUID.fromString(vm)).update();
    jdbc.sql("DELETE FROM fabric_vm WHERE id = :vm").param("vm", UUID.fromString(vm)).update();

    Instant asked = Instant.now().minusMillis(5);
    assertThat(operator.post("/api/v1/jobs/ipam-reconciliation/run", Map.of()).status())
        .isEqualTo(202);
    ApiWaits.await(
        "a run within 5 s of run-now",
        Duration.ofSeconds(5),
        () -> {
          for (JsonNode run : operator.get("/api/v1/reconciliation/runs?limit=10").body()) {
            if ("MANUAL".equals(run.path("trigger").asString())
                && !Instant.parse(run.path("startedAt").asString()).isBefore(asked)
                && "SUCCEEDED".equals(run.path("status").asString())) {
              return true;
            }
          }
          return false;
        });

    JsonNode findings =
        operator
            .get(
                "/api/v1/reconciliation/findings?scope=vm-network:"
                    + network
                    + "&category=RECLAIMABLE")
            .body();
    assertThat(findings).hasSize(1);
    JsonNode f = findings.get(0);
    assertThat(f.path("address").asString()).isEqualTo(address);
    assertThat(f.path("state").asString()).isEqualTo("OPEN");
    assertThat(f.path("evidence").asString())
        .contains("no longer exists")
        .contains("still seen in use, so not released")
        .contains("LEASE on port " + nic);
    assertThat(
            jdbc.sql("SELECT count(*) FROM ipam_allocation WHERE owner = :o")
                .param("o", "vnic:" + nic)
                .query(Long.class)
                .single())
        .as("address and MAC kept")
        .isEqualTo(2);
  }
}
