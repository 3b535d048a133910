package io.weft.portal.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.portal.simulation.SimulatedCloudRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Reconciliation on the default simulated cloud (the same context as {@link
 * SimulatedCloudEndToEndTest}): the agents report what their ports show, and an address still seen
 * in use is never released, even when its VM is gone.
 */
@SimulatedCloudTest
class ReconciliationOnSimulatedCloudTest {

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired SimulatedCloudRunner simulation;

  @Test
  void agentsReportLeasesAndAnAddressStillInUseIsNeverReleased() {
    SimulatedCloud cloud = new SimulatedCloud(port, simulation);
    ApiClient operator = cloud.operator();
    SimulatedCloud.TenantNetwork net = cloud.tenantNetwork("recon-sim", "sim", "10.60.0.0/24");
    ApiTenant tenant = net.tenant();
    ApiClient api = tenant.api();
    String network = net.network();
    String subnet = net.subnet();
    assertThat(
            api.post(
                    tenant.path("/subnets/" + subnet + "/dhcp-ranges"),
                    Map.of("start", "10.60.0.100", "end", "10.60.0.199"))
                .status())
        .isEqualTo(201);
    ApiTenant.CreatedVm created = tenant.dhcpVm("dhcp", subnet);
    String vm = created.id();
    String nic = created.nicId();
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
