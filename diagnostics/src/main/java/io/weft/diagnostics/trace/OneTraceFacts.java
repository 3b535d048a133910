package io.weft.diagnostics.trace;

import io.weft.dataplane.table.HostTable;
import io.weft.fabric.HostId;
import io.weft.fabric.VmNetworkId;
import io.weft.fabric.VnicId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The fabric's facts for one trace call: each host's intended table for the traced VM network, its
 * state and each vNIC are read once and shared by the trace over intended tables and the one over
 * applied tables, so both see the same facts. Not thread-safe; lives for one call.
 */
final class OneTraceFacts extends ForwardingFabricFacts {

  private final Map<HostId, HostTable> tables = new HashMap<>();
  private final Map<HostId, Optional<HostFacts>> hosts = new HashMap<>();
  private final Map<VnicId, Optional<VnicFacts>> vnics = new HashMap<>();
  private final VmNetworkId network;

  OneTraceFacts(FabricFacts facts, VmNetworkId network) {
    super(facts);
    this.network = network;
  }

  /** The traced VM network's table, read once per host and call. */
  @Override
  public HostTable intendedTable(HostId id, VmNetworkId network) {
    if (!network.equals(this.network)) {
      return super.intendedTable(id, network);
    }
    return tables.computeIfAbsent(id, h -> super.intendedTable(h, network));
  }

  @Override
  public Optional<VnicFacts> vnic(VnicId id) {
    return vnics.computeIfAbsent(id, super::vnic);
  }

  @Override
  public Optional<HostFacts> host(HostId id) {
    return hosts.computeIfAbsent(id, super::host);
  }
}
