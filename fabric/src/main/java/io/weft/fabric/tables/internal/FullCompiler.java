package io.weft.fabric.tables.internal;

import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.LookupRecord;
import io.weft.dataplane.table.PortEntry;
import io.weft.dataplane.table.VmNetworkTable;
import io.weft.dataplane.table.VmSubnet;
import io.weft.fabric.NotFoundException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The full recompute: a host's table straight from the model, with no memory of earlier
 * generations. Serves snapshots, hosts that join a VM network, and the tests' reference.
 */
@Component
class FullCompiler {

  private final ModelReader model;

  FullCompiler(ModelReader model) {
    this.model = model;
  }

  HostTable compute(UUID host, long generation) {
    ModelReader.Settings s =
        model.settings(host).orElseThrow(() -> new NotFoundException("no such host", "hostId"));
    Set<UUID> networks = new LinkedHashSet<>(model.networksOnHost(host));
    Map<UUID, VmNetworkTable> tables =
        networks(Map.of(host, networks)).getOrDefault(host, Map.of());
    return new HostTable(
        host.toString(),
        generation,
        s.encapsulation(),
        s.pa(),
        s.overlayMtu(),
        new ArrayList<>(tables.values()));
  }

  /**
   * The host's table with only those of {@code wanted} that it has: a VM network is on a host
   * exactly when the host holds one of its ports (as {@link ModelReader#networksOnHost} finds it:
   * VMs placed there and VMs migrating away from it), so only the wanted networks are read.
   */
  HostTable compute(UUID host, long generation, Collection<UUID> wanted) {
    ModelReader.Settings s =
        model.settings(host).orElseThrow(() -> new NotFoundException("no such host", "hostId"));
    Map<UUID, VmNetworkTable> tables =
        networks(Map.of(host, new LinkedHashSet<>(wanted))).getOrDefault(host, Map.of());
    List<VmNetworkTable> present = new ArrayList<>();
    for (VmNetworkTable t : tables.values()) {
      if (!t.ports().isEmpty()) {
        present.add(t);
      }
    }
    return new HostTable(
        host.toString(), generation, s.encapsulation(), s.pa(), s.overlayMtu(), present);
  }

  /** For each host, the complete tables of the given VM networks as that host sees them. */
  Map<UUID, Map<UUID, VmNetworkTable>> networks(Map<UUID, ? extends Collection<UUID>> wanted) {
    Set<UUID> all = new LinkedHashSet<>();
    wanted.values().forEach(all::addAll);
    Map<UUID, List<VmSubnet>> subnets = model.subnetsOfNetworks(all);
    Map<UUID, List<LookupRecord>> external = model.externalRecordsOfNetworks(all);
    Map<UUID, List<VnicView>> views = new HashMap<>();
    for (VnicView v : model.viewsOfNetworks(all)) {
      views.computeIfAbsent(v.networkId(), k -> new ArrayList<>()).add(v);
    }
    Map<UUID, Map<UUID, VmNetworkTable>> out = new HashMap<>();
    for (Map.Entry<UUID, ? extends Collection<UUID>> e : wanted.entrySet()) {
      UUID host = e.getKey();
      Map<UUID, VmNetworkTable> tables = new HashMap<>();
      for (UUID network : e.getValue()) {
        List<LookupRecord> records = new ArrayList<>(external.getOrDefault(network, List.of()));
        List<PortEntry> ports = new ArrayList<>();
        for (VnicView v : views.getOrDefault(network, List.of())) {
          LookupRecord r = v.recordFor(host);
          if (r != null) {
            records.add(r);
          }
          PortEntry p = v.portOn(host);
          if (p != null) {
            ports.add(p);
          }
        }
        tables.put(
            network,
            new VmNetworkTable(network, subnets.getOrDefault(network, List.of()), records, ports));
      }
      out.put(host, tables);
    }
    return out;
  }
}
