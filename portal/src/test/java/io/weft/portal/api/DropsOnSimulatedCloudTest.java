package io.weft.portal.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.table.IpAddress;
import io.weft.portal.simulation.SimulatedCloudRunner;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A real drop on a simulated host (a VM asking for an address nobody has) reaches its tenant's drop
 * list within seconds, through the agent's prompt report; the figure goes to docs/benchmarks.md
 * ("drop records in the portal within 10 s").
 */
@SimulatedCloudTest
class DropsOnSimulatedCloudTest {

  @LocalServerPort int port;
  @Autowired SimulatedCloudRunner simulation;

  @Test
  void aDropOnAHostIsInItsTenantsDropListWithinSeconds() throws Exception {
    SimulatedCloud cloud = new SimulatedCloud(port, simulation);
    SimulatedCloud.TenantNetwork net = cloud.tenantNetwork("dropsim", "drops", "10.7.0.0/24");
    ApiClient tenant = net.tenant().api();
    String nic = cloud.liveVm(net.tenant(), "dropper", net.subnet(), "10.7.0.10").nic();
    long t0 = System.nanoTime();
    // ARP for an address no record has: the host drops it (NO_ROUTE), never floods it.
    simulation.vm(nic).orElseThrow().ping(IpAddress.parse("10.7.0.99"), Duration.ofMillis(200));
    JsonNode found = null;
    while (found == null) {
      assertThat(System.nanoTime() - t0)
          .as("the drop is listed within 10 s")
          .isLessThan(Duration.ofSeconds(10).toNanos());
      for (JsonNode d :
          tenant.get("/api/v1/diagnostics/drops?vmNetwork=" + net.network()).body().path("drops")) {
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
