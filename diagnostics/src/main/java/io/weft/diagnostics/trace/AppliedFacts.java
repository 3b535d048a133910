package io.weft.diagnostics.trace;

import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import io.weft.fabric.HostId;
import io.weft.fabric.SubnetId;
import io.weft.fabric.TenantId;
import io.weft.fabric.VmId;
import io.weft.fabric.VmNetworkId;
import io.weft.fabric.VnicId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The fabric's facts with each host's table replaced by what the host reports it has applied for
 * the traced VM network, so the same {@link PathTracer} traces over applied tables; remembers what
 * it found per host, in path order.
 */
final class AppliedFacts implements FabricFacts {

  private final FabricFacts intended;
  private final AppliedTableSource source;
  private final UUID network;
  private final Map<HostId, AppliedTableSource.AppliedView> views = new LinkedHashMap<>();

  AppliedFacts(FabricFacts intended, AppliedTableSource source, UUID network) {
    this.intended = intended;
    this.source = source;
    this.network = network;
  }

  Map<HostId, AppliedTableSource.AppliedView> views() {
    return views;
  }

  @Override
  public HostTable intendedTable(HostId id, VmNetworkId vmNetwork) {
    if (!vmNetwork.value().equals(network)) {
      return intended.intendedTable(id, vmNetwork);
    }
    return views
        .computeIfAbsent(id, h -> source.applied(h, intended.intendedTable(h, vmNetwork), network))
        .table();
  }

  @Override
  public Optional<VnicFacts> vnic(VnicId id) {
    return intended.vnic(id);
  }

  @Override
  public List<VnicFacts> tenantVnics(TenantId tenant) {
    return intended.tenantVnics(tenant);
  }

  @Override
  public Optional<HostFacts> host(HostId id) {
    return intended.host(id);
  }

  @Override
  public Optional<HostFacts> hostByPa(IpAddress pa) {
    return intended.hostByPa(pa);
  }

  @Override
  public SubnetFacts subnet(TenantId tenant, SubnetId id) {
    return intended.subnet(tenant, id);
  }

  @Override
  public String vmNetworkName(TenantId tenant, VmNetworkId id) {
    return intended.vmNetworkName(tenant, id);
  }

  @Override
  public List<MigrationFacts> migrationsInFlight(VmId vm) {
    return intended.migrationsInFlight(vm);
  }
}
