package io.weft.diagnostics.trace;

import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import io.weft.fabric.HostId;
import io.weft.fabric.SubnetId;
import io.weft.fabric.TenantId;
import io.weft.fabric.VmId;
import io.weft.fabric.VmNetworkId;
import io.weft.fabric.VnicId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fabric's facts for one trace call: each host's intended table is computed once and shared by
 * the trace over intended tables and the one over applied tables (computing a host's table is most
 * of a trace's cost). Not thread-safe; lives for one call.
 */
final class OneTraceFacts implements FabricFacts {

  private final FabricFacts facts;
  private final Map<HostId, HostTable> tables = new HashMap<>();

  OneTraceFacts(FabricFacts facts) {
    this.facts = facts;
  }

  @Override
  public HostTable intendedTable(HostId id) {
    return tables.computeIfAbsent(id, facts::intendedTable);
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
