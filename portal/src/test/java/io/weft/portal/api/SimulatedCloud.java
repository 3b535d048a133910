package io.weft.portal.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.table.HostTable;
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
   */
  record LiveVm(String id, String nic, String address, String mac, String host) {}

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
    ApiClient.Response net =
        tenant.api().post(tenant.path("/vm-networks"), Map.of("name", network));
    assertThat(net.status()).as(net.toString()).isEqualTo(201);
    ApiClient.Response subnet =
        tenant
            .api()
            .post(
                tenant.path("/vm-networks/" + net.id() + "/subnets"),
                Map.of("name", "web", "cidr", cidr));
    assertThat(subnet.status()).as(subnet.toString()).isEqualTo(201);
    return new TenantNetwork(tenant, net.id(), subnet.id());
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
        vm.path("placement").path("hostId").asString());
  }

  /** The VM as the operator sees it, with its placement's host id and name. */
  JsonNode placed(ApiTenant tenant, String vmId) {
    return operator().get(tenant.path("/vms/" + vmId)).body();
  }

  /** The table without the lookup record of the customer address {@code ca}, in every network. */
  static HostTable withoutRecord(HostTable table, String ca) {
    List<VmNetworkTable> networks = new ArrayList<>();
    for (VmNetworkTable n : table.networks()) {
      List<LookupRecord> records =
          n.lookupRecords().stream().filter(r -> !r.ca().toString().equals(ca)).toList();
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
