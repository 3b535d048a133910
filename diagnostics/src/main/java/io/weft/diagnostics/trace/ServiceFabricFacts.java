package io.weft.diagnostics.trace;

import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.MacAddress;
import io.weft.fabric.Caller;
import io.weft.fabric.Host;
import io.weft.fabric.HostId;
import io.weft.fabric.HostService;
import io.weft.fabric.NetworkService;
import io.weft.fabric.NotFoundException;
import io.weft.fabric.SubnetId;
import io.weft.fabric.TenantId;
import io.weft.fabric.Vm;
import io.weft.fabric.VmId;
import io.weft.fabric.VmNetworkId;
import io.weft.fabric.VmService;
import io.weft.fabric.Vnic;
import io.weft.fabric.VnicId;
import io.weft.fabric.tables.HostTableService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** {@link FabricFacts} read through the fabric's own services, as the system. */
@Component
class ServiceFabricFacts implements FabricFacts {

  private static final Caller SYSTEM = Caller.system("diagnostics");
  private static final Set<String> IN_FLIGHT = Set.of("PORT_ON_DEST", "RECORDS_SWITCHED");

  private final VmService vms;
  private final HostService hosts;
  private final NetworkService networks;
  private final HostTableService tables;
  private final IntendedTableCache cache;

  /** Which host had a PA when last asked; checked against the host's row on every use. */
  private final Map<IpAddress, HostId> hostIdByPa = new ConcurrentHashMap<>();

  ServiceFabricFacts(
      VmService vms,
      HostService hosts,
      NetworkService networks,
      HostTableService tables,
      IntendedTableCache cache) {
    this.vms = vms;
    this.hosts = hosts;
    this.networks = networks;
    this.tables = tables;
    this.cache = cache;
  }

  @Override
  public Optional<VnicFacts> vnic(VnicId id) {
    for (Vm vm : vms.findVmsByVnic(SYSTEM, List.of(id))) {
      for (Vnic nic : vm.nics()) {
        if (nic.id().equals(id)) {
          return Optional.of(facts(vm, nic));
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public List<VnicFacts> tenantVnics(TenantId tenant) {
    List<VnicFacts> all = new ArrayList<>();
    for (Vm vm : vms.listVms(SYSTEM, tenant)) {
      for (Vnic nic : vm.nics()) {
        all.add(facts(vm, nic));
      }
    }
    return all;
  }

  private static VnicFacts facts(Vm vm, Vnic nic) {
    return new VnicFacts(
        nic.id(),
        vm.id(),
        vm.name(),
        vm.tenantId(),
        nic.vmNetworkId(),
        nic.subnetId(),
        MacAddress.parse(nic.mac()),
        nic.addressing(),
        nic.address() == null ? null : IpAddress.parse(nic.address()),
        vm.state(),
        vm.placement().map(p -> p.hostId()).orElse(null));
  }

  @Override
  public Optional<HostFacts> host(HostId id) {
    try {
      return Optional.of(facts(hosts.getHost(SYSTEM, id)));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  @Override
  public Optional<HostFacts> hostByPa(IpAddress pa) {
    HostId known = hostIdByPa.get(pa);
    if (known != null) {
      Optional<HostFacts> host = host(known).filter(h -> h.pa().equals(pa));
      if (host.isPresent()) {
        return host;
      }
    }
    // Unknown or moved: read every host once, and remember where each PA is now.
    String text = pa.toString();
    Host found = null;
    hostIdByPa.clear();
    for (Host h : hosts.listHosts(SYSTEM)) {
      hostIdByPa.putIfAbsent(IpAddress.parse(h.providerAddress()), h.id());
      if (found == null && text.equals(h.providerAddress())) {
        found = h;
      }
    }
    return Optional.ofNullable(found).map(this::facts);
  }

  private HostFacts facts(Host h) {
    return new HostFacts(
        h.id(),
        h.name(),
        IpAddress.parse(h.providerAddress()),
        h.state(),
        tables.generation(h.id()),
        h.appliedGeneration(),
        h.lastSeenAt());
  }

  @Override
  public HostTable intendedTable(HostId id, VmNetworkId network) {
    return cache.get(
        id,
        network,
        tables.generation(id),
        () -> tables.intendedTable(id, List.of(network.value())));
  }

  @Override
  public SubnetFacts subnet(TenantId tenant, SubnetId id) {
    var subnet = networks.getSubnet(SYSTEM, tenant, id);
    boolean dhcp = !networks.listDhcpRanges(SYSTEM, tenant, id).isEmpty();
    return new SubnetFacts(subnet.name(), subnet.cidr(), dhcp);
  }

  @Override
  public String vmNetworkName(TenantId tenant, VmNetworkId id) {
    return networks.getVmNetwork(SYSTEM, tenant, id).name();
  }

  @Override
  public List<MigrationFacts> migrationsInFlight(VmId vm) {
    return tables.migrations(SYSTEM, 200).stream()
        .filter(m -> m.vmId().equals(vm) && IN_FLIGHT.contains(m.phase()))
        .map(m -> new MigrationFacts(hostName(m.from()), hostName(m.to()), m.phase()))
        .toList();
  }

  private String hostName(HostId id) {
    return host(id).map(HostFacts::name).orElse(String.valueOf(id));
  }
}
