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
 * The fabric's facts for one trace call: each host's intended table for the traced VM network, its
 * state and each vNIC are read once and shared by the trace over intended tables and the one over
 * applied tables, so both see the same facts. Not thread-safe; lives for one call.
 */
final class OneTraceFacts implements FabricFacts {

  private final FabricFacts facts;
  private final Map<HostId, HostTable> tables = new HashMap<>();
  private final Map<HostId, Optional<HostFacts>> hosts = new HashMap<>();
  private final Map<VnicId, Optional<VnicFacts>> vnics = new HashMap<>();
  private final VmNetworkId network;

  OneTraceFacts(FabricFacts facts, VmNetworkId network) {
    this.facts = facts;
    this.network = network;
  }

  /** The traced VM network's table, read once per host and call. */
  @Override
  public HostTable intendedTable(HostId id, VmNetworkId network) {
    if (!network.equals(this.network)) {
      return facts.intendedTable(id, network);
    }
    return tables.computeIfAbsent(id, h -> facts.intendedTable(h, network));
  }

  @Override
  public Optional<VnicFacts> vnic(VnicId id) {
    return vnics.computeIfAbsent(id, facts::vnic);
  }

  @Override
  public List<VnicFacts> tenantVnics(TenantId tenant) {
    return facts.tenantVnics(tenant);
  }

  @Override
  public Optional<HostFacts> host(HostId id) {
    return hosts.computeIfAbsent(id, facts::host);
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
