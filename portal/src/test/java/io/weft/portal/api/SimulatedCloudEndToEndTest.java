package io.weft.portal.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.sim.PingResult;
import io.weft.dataplane.sim.SimulatedVm;
import io.weft.dataplane.table.IpAddress;
import io.weft.portal.H2ApplicationTest;
import io.weft.portal.api.ApiTenant.CreatedVm;
import io.weft.portal.simulation.SimulatedCloudRunner;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The default run end to end: the application with three simulated hosts on the memory data plane,
 * registered and fed over HTTP like real agents. Two tenants build identical networks through the
 * REST API; their VMs are placed, get DHCP addresses from the fabric through the hosts' DHCP
 * responders, and ping within their VM network (same subnet and routed, across hosts, after a live
 * migration too) but never into the other tenant's.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:weft-simulated-cloud;DB_CLOSE_DELAY=-1",
      "weft.admin-password=" + H2ApplicationTest.ADMIN_PASSWORD,
      "weft.simulation.hosts=3",
      "weft.home=target/simulated-cloud-test"
    })
class SimulatedCloudEndToEndTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration PING = Duration.ofSeconds(2);

  @LocalServerPort int port;
  @Autowired SimulatedCloudRunner simulation;

  @Test
  void tenantsWithIdenticalAddressesPingWithinTheirNetworkAndNeverAcross() {
    ApiClient operator = ApiClient.basic(port, "admin", H2ApplicationTest.ADMIN_PASSWORD);
    ApiWaits.awaitReadyHosts(operator, 3, WAIT);

    ApiTenant a = ApiTenant.signUp(port, "admin");
    ApiTenant b = ApiTenant.signUp(port, "admin");
    String[] aSubnets = network(a);
    String[] bSubnets = network(b);
    CreatedVm a1 = a.dhcpVm("a1", aSubnets[0]);
    CreatedVm a2 = a.dhcpVm("a2", aSubnets[0]);
    CreatedVm a3 = a.dhcpVm("a3", aSubnets[1]);
    CreatedVm b1 = b.dhcpVm("b1", bSubnets[0]);
    CreatedVm b2 = b.dhcpVm("b2", bSubnets[0]);

    Set<String> hostsUsed = new HashSet<>();
    for (CreatedVm vm : List.of(a1, a2, a3)) {
      hostsUsed.add(
          operator
              .get(a.path("/vms/" + vm.id()))
              .body()
              .path("placement")
              .path("hostId")
              .asString());
    }
    assertThat(hostsUsed).as("spread placement puts tenant A's VMs on different hosts").hasSize(3);

    IpAddress ipA1 = dhcpAddress(a, a1);
    IpAddress ipA2 = dhcpAddress(a, a2);
    IpAddress ipA3 = dhcpAddress(a, a3);
    IpAddress ipB1 = dhcpAddress(b, b1);
    IpAddress ipB2 = dhcpAddress(b, b2);
    assertThat(ipA1.toString()).startsWith("10.0.0.1");
    assertThat(ipA3.toString()).startsWith("10.0.1.1");
    assertThat(Set.of(ipA1, ipA2))
        .as("identical CIDRs and ranges: tenant B gets the very same addresses")
        .isEqualTo(Set.of(ipB1, ipB2));
    // The API shows the address the VM itself received from its host's DHCP responder.
    assertThat(running(a1).address()).isEqualTo(ipA1);

    assertReaches(a1, ipA2, "same subnet, another host");
    assertReaches(a1, ipA3, "routed to the other subnet of the VM network");
    assertReaches(a3, IpAddress.parse("10.0.1.1"), "the default gateway answers on every host");
    assertReaches(b2, ipB1, "tenant B inside its own network");
    // The trace over the fabric's tables agrees with the pings, and shows tenants no host.
    ApiWaits.await(
        "a trace from a1 to a2 that finds the path the ping took",
        WAIT,
        () -> traceReaches(a, a1, ipA2));
    ApiWaits.await("a routed trace from a1 to a3", WAIT, () -> traceReaches(a, a1, ipA3));

    // Both tenants have 10.0.1.0/24; only tenant B has a VM on 10.0.1.50.
    CreatedVm b3 = b.staticVm("b3", bSubnets[1], "10.0.1.50");
    ApiWaits.await(
        "b3 alive",
        WAIT,
        () -> simulation.vm(b3.nicId()).map(v -> v.address() != null).orElse(false));
    assertReaches(b1, IpAddress.parse("10.0.1.50"), "tenant B routes to its own db subnet");
    assertFails(a1, IpAddress.parse("10.0.1.50"), "10.0.1.50 lives only in tenant B's network");
    assertFails(a3, IpAddress.parse("10.0.1.50"), "not even from tenant A's own 10.0.1.0/24");
    ApiClient.Response across =
        a.api()
            .post(
                "/api/v1/diagnostics/trace",
                Map.of("sourceVnicId", a3.nicId(), "destination", "10.0.1.50"));
    assertThat(across.body().path("reachable").asBoolean()).as(across.toString()).isFalse();
    assertThat(across.body().path("summary").asString())
        .contains("no lookup record for 10.0.1.50")
        .doesNotContain("b3");

    // Live migration: a2 moves; a1 reaches it on its new host.
    String a2Host = placement(operator, a, a2);
    String target =
        hostIds(operator).stream().filter(h -> !h.equals(a2Host)).findFirst().orElseThrow();
    ApiClient.Response moved =
        operator.post("/api/v1/vms/" + a2.id() + "/migrate", Map.of("hostId", target));
    assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
    ApiWaits.await(
        "a2 alive on its new host",
        WAIT,
        () ->
            simulation.vm(a2.nicId()).map(v -> ipA2.equals(v.address())).orElse(false)
                && simulation.host(target).isPresent());
    assertReaches(a1, ipA2, "after live migration");
  }

  private static boolean traceReaches(ApiTenant t, CreatedVm from, IpAddress to) {
    ApiClient.Response traced =
        t.api()
            .post(
                "/api/v1/diagnostics/trace",
                Map.of("sourceVnicId", from.nicId(), "destination", to.toString()));
    assertThat(traced.status()).as(traced.toString()).isEqualTo(200);
    assertThat(traced.body().toString()).doesNotContain("sim-host").doesNotContain("192.168.100.");
    return traced.body().path("reachable").asBoolean();
  }

  /** VM network "prod" with web 10.0.0.0/24 and db 10.0.1.0/24, both with DHCP ranges. */
  private static String[] network(ApiTenant t) {
    ApiClient.Response net = t.api().post(t.path("/vm-networks"), Map.of("name", "prod"));
    assertThat(net.status()).as(net.toString()).isEqualTo(201);
    String web = subnetWithDhcp(t, net.id(), "web", "10.0.0");
    String db = subnetWithDhcp(t, net.id(), "db", "10.0.1");
    return new String[] {web, db};
  }

  private static String subnetWithDhcp(ApiTenant t, String network, String name, String prefix) {
    ApiClient.Response subnet =
        t.api()
            .post(
                t.path("/vm-networks/" + network + "/subnets"),
                Map.of("name", name, "cidr", prefix + ".0/24"));
    assertThat(subnet.status()).as(subnet.toString()).isEqualTo(201);
    ApiClient.Response range =
        t.api()
            .post(
                t.path("/subnets/" + subnet.id() + "/dhcp-ranges"),
                Map.of("start", prefix + ".100", "end", prefix + ".199"));
    assertThat(range.status()).as(range.toString()).isEqualTo(201);
    return subnet.id();
  }

  /** Waits until the fabric has recorded the address the VM got by DHCP, and returns it. */
  private IpAddress dhcpAddress(ApiTenant t, CreatedVm vm) {
    String[] address = new String[1];
    ApiWaits.await(
        "a DHCP address for " + vm.id(),
        WAIT,
        () -> {
          var nic = t.api().get(t.path("/vms/" + vm.id())).body().path("nics").get(0);
          address[0] = nic.path("address").isString() ? nic.path("address").asString() : null;
          return address[0] != null && running(vm).address() != null;
        });
    return IpAddress.parse(address[0]);
  }

  private SimulatedVm running(CreatedVm vm) {
    return simulation.vm(vm.nicId()).orElseThrow();
  }

  private void assertReaches(CreatedVm from, IpAddress to, String why) {
    // The first ping may wait for ARP and a fresh table; a working path answers within a few tries.
    PingResult last = null;
    for (int i = 0; i < 5 && (last == null || !last.success()); i++) {
      last = running(from).ping(to, PING).join();
    }
    assertThat(last.success()).as(why + ": " + last.detail()).isTrue();
  }

  private void assertFails(CreatedVm from, IpAddress to, String why) {
    for (int i = 0; i < 3; i++) {
      PingResult result = running(from).ping(to, Duration.ofMillis(500)).join();
      assertThat(result.success()).as(why).isFalse();
    }
  }

  private static List<String> hostIds(ApiClient operator) {
    List<String> ids = new java.util.ArrayList<>();
    operator.get("/api/v1/hosts").body().forEach(h -> ids.add(h.path("id").asString()));
    return ids;
  }

  private static String placement(ApiClient operator, ApiTenant t, CreatedVm vm) {
    return operator
        .get(t.path("/vms/" + vm.id()))
        .body()
        .path("placement")
        .path("hostId")
        .asString();
  }
}
