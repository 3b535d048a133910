package io.weft.diagnostics.trace;

import io.weft.dataplane.table.HostTable;
import io.weft.fabric.HostId;
import io.weft.fabric.VmNetworkId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The fabric's facts with each host's table replaced by what the host reports it has applied for
 * the traced VM network, so the same {@link PathTracer} traces over applied tables; remembers what
 * it found per host, in path order. Every other fact is the intended one.
 */
final class AppliedFacts extends ForwardingFabricFacts {

  private final AppliedTableSource source;
  private final UUID network;
  private final Map<HostId, AppliedTableSource.AppliedView> views = new LinkedHashMap<>();

  AppliedFacts(FabricFacts intended, AppliedTableSource source, UUID network) {
    super(intended);
    this.source = source;
    this.network = network;
  }

  Map<HostId, AppliedTableSource.AppliedView> views() {
    return views;
  }

  @Override
  public HostTable intendedTable(HostId id, VmNetworkId vmNetwork) {
    if (!vmNetwork.value().equals(network)) {
      return super.intendedTable(id, vmNetwork);
    }
    return views
        .computeIfAbsent(id, h -> source.applied(h, super.intendedTable(h, vmNetwork), network))
        .table();
  }
}
