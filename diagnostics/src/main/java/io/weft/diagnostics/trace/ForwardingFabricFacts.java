package io.weft.diagnostics.trace;

import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import io.weft.fabric.HostId;
import io.weft.fabric.SubnetId;
import io.weft.fabric.TenantId;
import io.weft.fabric.VmId;
import io.weft.fabric.VmNetworkId;
import io.weft.fabric.VnicId;
import java.util.List;
import java.util.Optional;

/**
 * Facts that answer every question from other facts: the base of the trace's views of the fabric
 * ({@link OneTraceFacts}: read once per call; {@link AppliedFacts}: the applied tables), each of
 * which overrides only the questions it answers differently.
 */
abstract class ForwardingFabricFacts implements FabricFacts {

  private final FabricFacts facts;

  ForwardingFabricFacts(FabricFacts facts) {
    this.facts = facts;
  }

  @Override
  public Optional<VnicFacts> vnic(VnicId id) {
    return facts.vnic(id);
  }

  @Override
  public List<VnicFacts> tenantVnics(TenantId tenant) {
    return facts.tenantVnics(tenant);
  }

  @Override
  public Optional<HostFacts> host(HostId id) {
    return facts.host(id);
  }

  @Override
  public Optional<HostFacts> hostByPa(IpAddress pa) {
    return facts.hostByPa(pa);
  }

  @Override
  public HostTable intendedTable(HostId id, VmNetworkId network) {
    return facts.intendedTable(id, network);
  }

  @Override
  public SubnetFacts subnet(TenantId tenant, SubnetId id) {
    return facts.subnet(tenant, id);
  }

  @Override
  public String vmNetworkName(TenantId tenant, VmNetworkId id) {
    return facts.vmNetworkName(tenant, id);
  }

  @Override
  public List<MigrationFacts> migrationsInFlight(VmId vm) {
    return facts.migrationsInFlight(vm);
  }
}
