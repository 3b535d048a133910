package io.weft.portal.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.sim.PingResult;
import io.weft.dataplane.sim.SimulatedVm;
import io.weft.dataplane.table.IpAddress;
import io.weft.portal.H2ApplicationTest;
import io.weft.portal.simulation.SimulatedCloudRunner;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
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

  private record Vm(String id, String nicId) {}

  private record Tenant(String id, ApiClient api) {
    String path(String rest) {
      return "/api/v1/tenants/" + id + rest;
    }
  }

  @Test
  void tenantsWithIdenticalAddressesPingWithinTheirNetworkAndNeverAcross() {
    ApiClient operator = ApiClient.basic(port, "admin", H2ApplicationTest.ADMIN_PASSWORD);
    await("three simulated hosts READY", () -> readyHosts(operator) == 3);

    Tenant a = signUp();
    Tenant b = signUp();
    String[] aSubnets = network(a);
    String[] bSubnets = network(b);
    Vm a1 = vm(a, "a1", aSubnets[0]);
    Vm a2 = vm(a, "a2", aSubnets[0]);
    Vm a3 = vm(a, "a3", aSubnets[1]);
    Vm b1 = vm(b, "b1", bSubnets[0]);
    Vm b2 = vm(b, "b2", bSubnets[0]);

    Set<String> hostsUsed = new HashSet<>();
    for (Vm vm : List.of(a1, a2, a3)) {
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
    await(
        "a trace from a1 to a2 that finds the path the ping took", () -> traceReaches(a, a1, ipA2));
    await("a routed trace from a1 to a3", () -> traceReaches(a, a1, ipA3));

    // Both tenants have 10.0.1.0/24; only tenant B has a VM on 10.0.1.50.
    Vm b3 = staticVm(b, "b3", bSubnets[1], "10.0.1.50");
    await("b3 alive", () -> simulation.vm(b3.nicId()).map(v -> v.address() != null).orElse(false));
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
    await(
        "a2 alive on its new host",
        () ->
            simulation.vm(a2.nicId()).map(v -> ipA2.equals(v.address())).orElse(false)
                && simulation.host(target).isPresent());
    assertReaches(a1, ipA2, "after live migration");
  }

  private static boolean traceReaches(Tenant t, Vm from, IpAddress to) {
    ApiClient.Response traced =
        t.api()
            .post(
                "/api/v1/diagnostics/trace",
                Map.of("sourceVnicId", from.nicId(), "destination", to.toString()));
    assertThat(traced.status()).as(traced.toString()).isEqualTo(200);
    assertThat(traced.body().toString()).doesNotContain("sim-host").doesNotContain("192.168.100.");
    return traced.body().path("reachable").asBoolean();
  }

  private Tenant signUp() {
    String email = "admin-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.example";
    ApiClient.Response created =
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
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return new Tenant(created.id(), ApiClient.basic(port, email, "a long passphrase 42"));
  }

  /** VM network "prod" with web 10.0.0.0/24 and db 10.0.1.0/24, both with DHCP ranges. */
  private static String[] network(Tenant t) {
    ApiClient.Response net = t.api().post(t.path("/vm-networks"), Map.of("name", "prod"));
    assertThat(net.status()).as(net.toString()).isEqualTo(201);
    String web = subnetWithDhcp(t, net.id(), "web", "10.0.0");
    String db = subnetWithDhcp(t, net.id(), "db", "10.0.1");
    return new String[] {web, db};
  }

  private static String subnetWithDhcp(Tenant t, String network, String name, String prefix) {
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

  private static Vm vm(Tenant t, String name, String subnet) {
    return created(
        t.api()
            .post(
                t.path("/vms"),
                Map.of(
                    "name",
                    name,
                    "nics",
                    List.of(Map.of("subnetId", subnet, "addressing", "DHCP")))));
  }

  private static Vm staticVm(Tenant t, String name, String subnet, String address) {
    return created(
        t.api()
            .post(
                t.path("/vms"),
                Map.of(
                    "name",
                    name,
                    "nics",
                    List.of(
                        Map.of("subnetId", subnet, "addressing", "STATIC", "address", address)))));
  }

  private static Vm created(ApiClient.Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return new Vm(r.id(), r.body().path("nics").get(0).path("id").asString());
  }

  /** Waits until the fabric has recorded the address the VM got by DHCP, and returns it. */
  private IpAddress dhcpAddress(Tenant t, Vm vm) {
    String[] address = new String[1];
    await(
        "a DHCP address for " + vm.id(),
        () -> {
          var nic = t.api().get(t.path("/vms/" + vm.id())).body().path("nics").get(0);
          address[0] = nic.path("address").isString() ? nic.path("address").asString() : null;
          return address[0] != null && running(vm).address() != null;
        });
    return IpAddress.parse(address[0]);
  }

  private SimulatedVm running(Vm vm) {
    return simulation.vm(vm.nicId()).orElseThrow();
  }

  private void assertReaches(Vm from, IpAddress to, String why) {
    // The first ping may wait for ARP and a fresh table; a working path answers within a few tries.
    PingResult last = null;
    for (int i = 0; i < 5 && (last == null || !last.success()); i++) {
      last = running(from).ping(to, PING).join();
    }
    assertThat(last.success()).as(why + ": " + last.detail()).isTrue();
  }

  private void assertFails(Vm from, IpAddress to, String why) {
    for (int i = 0; i < 3; i++) {
      PingResult result = running(from).ping(to, Duration.ofMillis(500)).join();
      assertThat(result.success()).as(why).isFalse();
    }
  }

  private static long readyHosts(ApiClient operator) {
    var hosts = operator.get("/api/v1/hosts").body();
    long ready = 0;
    for (var host : hosts) {
      if (host.path("state").asString().equals("READY")) {
        ready++;
      }
    }
    return ready;
  }

  private static List<String> hostIds(ApiClient operator) {
    List<String> ids = new java.util.ArrayList<>();
    operator.get("/api/v1/hosts").body().forEach(h -> ids.add(h.path("id").asString()));
    return ids;
  }

  private static String placement(ApiClient operator, Tenant t, Vm vm) {
    return operator
        .get(t.path("/vms/" + vm.id()))
        .body()
        .path("placement")
        .path("hostId")
        .asString();
  }

  private static void await(String what, Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.get()) {
      assertThat(System.nanoTime())
          .as("waited " + WAIT.toSeconds() + " s for " + what)
          .isLessThan(deadline);
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
