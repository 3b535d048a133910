package io.weft.portal.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.LookupRecord;
import io.weft.dataplane.table.VmNetworkTable;
import io.weft.portal.H2ApplicationTest;
import io.weft.portal.simulation.SimulatedCloudRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The simulated cloud of a {@link SimulatedCloudTest}, as its tests act on it: through the REST API
 * as a tenant or the operator, and on the simulated hosts and VMs directly.
 *
 * @param port the application's port
 * @param simulation the simulated hosts and their VMs
 */
record SimulatedCloud(int port, SimulatedCloudRunner simulation) {

  /** How many simulated hosts the cloud runs. */
  static final int HOSTS = 3;

  /** How long a test waits for the simulated hosts, VMs and agents. */
  static final Duration WAIT = Duration.ofSeconds(45);

  /** A tenant with one VM network and one subnet in it. */
  record TenantNetwork(ApiTenant tenant, String network, String subnet) {}

  /**
   * A VM with one static vNIC, alive on its simulated host.
   *
   * @param host the id of the host it is placed on
   * @param hostName that host's name (operators see it; tenants must not)
   */
  record LiveVm(String id, String nic, String address, String mac, String host, String hostName) {}

  /** The operator's client. */
  ApiClient operator() {
    return ApiClient.basic(port, "admin", H2ApplicationTest.ADMIN_PASSWORD);
  }

  /** Waits until every simulated host is READY. */
  void awaitReadyHosts() {
    ApiWaits.awaitReadyHosts(operator(), HOSTS, WAIT);
  }

  /**
   * Signs up a tenant (its admin's email starting with {@code emailPrefix}) with a VM network and a
   * subnet of {@code cidr} in it; fails unless each is created.
   */
  TenantNetwork tenantNetwork(String emailPrefix, String network, String cidr) {
    ApiTenant tenant = ApiTenant.signUp(port, emailPrefix);
    String[] ids = networkAndSubnets(tenant, network, cidr);
    return new TenantNetwork(tenant, ids[0], ids[1]);
  }

  /**
   * A VM network of {@code tenant} with one subnet per CIDR, named web, db, then s2, s3...; fails
   * unless each is created. Answers the subnets' ids.
   */
  static String[] subnets(ApiTenant tenant, String network, String... cidrs) {
    String[] ids = networkAndSubnets(tenant, network, cidrs);
    return java.util.Arrays.copyOfRange(ids, 1, ids.length);
  }

  /** The network's id, then its subnets' ids. */
  private static String[] networkAndSubnets(ApiTenant tenant, String network, String... cidrs) {
    ApiClient.Response net =
        tenant.api().post(tenant.path("/vm-networks"), Map.of("name", network));
    assertThat(net.status()).as(net.toString()).isEqualTo(201);
    String[] ids = new String[cidrs.length + 1];
    ids[0] = net.id();
    for (int i = 0; i < cidrs.length; i++) {
      String name = i == 0 ? "web" : i == 1 ? "db" : "s" + i;
      ApiClient.Response subnet =
          tenant
              .api()
              .post(
                  tenant.path("/vm-networks/" + net.id() + "/subnets"),
                  Map.of("name", name, "cidr", cidrs[i]));
      assertThat(subnet.status()).as(subnet.toString()).isEqualTo(201);
      ids[i + 1] = subnet.id();
    }
    return ids;
  }

  /** Creates a VM with a static address and waits until it is alive on its simulated host. */
  LiveVm liveVm(ApiTenant tenant, String name, String subnet, String address) {
    ApiTenant.CreatedVm created = tenant.staticVm(name, subnet, address);
    ApiWaits.await(
        name + " alive",
        WAIT,
        () -> simulation.vm(created.nicId()).map(v -> v.address() != null).orElse(false));
    JsonNode vm = placed(tenant, created.id());
    return new LiveVm(
        created.id(),
        created.nicId(),
        address,
        vm.path("nics").get(0).path("mac").asString(),
        vm.path("placement").path("hostId").asString(),
        vm.path("placement").path("hostName").asString());
  }

  /** The first of {@code vms} placed on another host than {@code from}. */
  static LiveVm onAnotherHost(List<LiveVm> vms, LiveVm from) {
    return vms.stream().filter(v -> !v.host().equals(from.host())).findFirst().orElseThrow();
  }

  /**
   * Waits until {@code tenant}'s one answer says a VM network works from {@code from} to {@code
   * destination} (the hosts applied the intended entries: {@code what}); answers the request's
   * body, to ask again.
   */
  static Map<String, Object> awaitWorks(
      String what, ApiTenant tenant, LiveVm from, String destination) {
    Map<String, Object> ping = Map.of("sourceVnicId", from.nic(), "destination", destination);
    ApiWaits.await(
        what,
        WAIT,
        () ->
            tenant
                .api()
                .post("/api/v1/diagnostics/connectivity", ping)
                .body()
                .path("works")
                .asBoolean());
    return ping;
  }

  /** The VM as the operator sees it, with its placement's host id and name. */
  JsonNode placed(ApiTenant tenant, String vmId) {
    return operator().get(tenant.path("/vms/" + vmId)).body();
  }

  /** The table without the lookup record of the customer address {@code ca}, in every network. */
  static HostTable withoutRecord(HostTable table, String ca) {
    IpAddress gone = IpAddress.parse(ca);
    List<VmNetworkTable> networks = new ArrayList<>();
    for (VmNetworkTable n : table.networks()) {
      List<LookupRecord> records =
          n.lookupRecords().stream().filter(r -> !r.ca().equals(gone)).toList();
      networks.add(new VmNetworkTable(n.routingDomainId(), n.subnets(), records, n.ports()));
    }
    return new HostTable(
        table.hostId(),
        table.generation(),
        table.encapsulation(),
        table.localPa(),
        table.overlayMtu(),
        networks);
  }
}
