package io.weft.dataplane.table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * The change from one generation of a host table to a later one.
 *
 * @param fromGeneration the generation the delta applies to; must equal the agent's
 * @param toGeneration the generation after applying; greater than {@code fromGeneration}
 * @param settings new host-wide settings, or {@code null} when unchanged
 * @param removedNetworks VM networks that leave the host (applied first)
 * @param changedNetworks changes to (or creation of) VM networks
 */
public record TableDelta(
    long fromGeneration,
    long toGeneration,
    HostSettings settings,
    List<UUID> removedNetworks,
    List<VmNetworkChange> changedNetworks) {

  public TableDelta {
    removedNetworks = List.copyOf(removedNetworks == null ? List.of() : removedNetworks);
    changedNetworks = List.copyOf(changedNetworks == null ? List.of() : changedNetworks);
  }

  /**
   * Applies this delta, returning a new validated table; throws {@link InvalidTableException} when
   * the generations do not line up, a removal names something absent, or the result is
   * inconsistent. The input table is never modified.
   */
  public HostTable applyTo(HostTable table) {
    if (fromGeneration != table.generation()) {
      throw new InvalidTableException(
          "delta from generation "
              + fromGeneration
              + " does not apply to generation "
              + table.generation());
    }
    if (toGeneration <= fromGeneration) {
      throw new InvalidTableException(
          "delta goes backwards: " + fromGeneration + " -> " + toGeneration);
    }
    Map<UUID, VmNetworkTable> networks = new LinkedHashMap<>();
    for (VmNetworkTable n : table.networks()) {
      networks.put(n.routingDomainId(), n);
    }
    for (UUID removed : removedNetworks) {
      if (networks.remove(removed) == null) {
        throw new InvalidTableException("delta removes unknown VM network " + removed);
      }
    }
    for (VmNetworkChange change : changedNetworks) {
      VmNetworkTable old = networks.get(change.routingDomainId());
      if (old == null) {
        old = new VmNetworkTable(change.routingDomainId(), List.of(), List.of(), List.of());
      }
      networks.put(change.routingDomainId(), apply(old, change));
    }
    HostSettings s = settings == null ? HostSettings.of(table) : settings;
    HostTable result =
        new HostTable(
            table.hostId(),
            toGeneration,
            s.encapsulation(),
            s.localPa(),
            s.overlayMtu(),
            new ArrayList<>(networks.values()));
    TableValidator.validate(result);
    return result;
  }

  private static VmNetworkTable apply(VmNetworkTable n, VmNetworkChange c) {
    String where = "VM network " + n.routingDomainId();
    List<VmSubnet> subnets =
        merge(n.subnets(), VmSubnet::vsid, c.removedSubnets(), c.upsertSubnets(), where, "subnet");
    List<LookupRecord> records =
        merge(
            n.lookupRecords(),
            LookupRecord::ca,
            c.removedRecords(),
            c.upsertRecords(),
            where,
            "record");
    List<PortEntry> ports =
        merge(n.ports(), PortEntry::portId, c.removedPorts(), c.upsertPorts(), where, "port");
    return new VmNetworkTable(n.routingDomainId(), subnets, records, ports);
  }

  private static <K, V> List<V> merge(
      List<V> old,
      Function<V, K> key,
      List<K> removed,
      List<V> upserts,
      String where,
      String what) {
    Map<K, V> byKey = new LinkedHashMap<>();
    for (V v : old) {
      byKey.put(key.apply(v), v);
    }
    for (K k : removed) {
      if (byKey.remove(k) == null) {
        throw new InvalidTableException(where + ": delta removes unknown " + what + " " + k);
      }
    }
    for (V v : upserts) {
      byKey.put(key.apply(v), v);
    }
    return new ArrayList<>(byKey.values());
  }

  /**
   * The delta that turns {@code from} into {@code to} (same host). Applying it to {@code from}
   * gives a table equal to {@code to} up to list order; the fabric may use it to derive deltas from
   * snapshots, tests use it to check incremental against full.
   */
  public static TableDelta between(HostTable from, HostTable to) {
    Map<UUID, VmNetworkTable> before = byDomain(from);
    Map<UUID, VmNetworkTable> after = byDomain(to);
    List<UUID> removed = new ArrayList<>();
    for (UUID id : before.keySet()) {
      if (!after.containsKey(id)) {
        removed.add(id);
      }
    }
    List<VmNetworkChange> changes = new ArrayList<>();
    for (VmNetworkTable n : after.values()) {
      VmNetworkTable o =
          before.getOrDefault(
              n.routingDomainId(),
              new VmNetworkTable(n.routingDomainId(), List.of(), List.of(), List.of()));
      VmNetworkChange c =
          new VmNetworkChange(
              n.routingDomainId(),
              upserts(o.subnets(), n.subnets(), VmSubnet::vsid),
              removals(o.subnets(), n.subnets(), VmSubnet::vsid),
              upserts(o.lookupRecords(), n.lookupRecords(), LookupRecord::ca),
              removals(o.lookupRecords(), n.lookupRecords(), LookupRecord::ca),
              upserts(o.ports(), n.ports(), PortEntry::portId),
              removals(o.ports(), n.ports(), PortEntry::portId));
      if (!c.isEmpty() || !before.containsKey(n.routingDomainId())) {
        changes.add(c);
      }
    }
    HostSettings s = HostSettings.of(to);
    return new TableDelta(
        from.generation(),
        to.generation(),
        s.equals(HostSettings.of(from)) ? null : s,
        removed,
        changes);
  }

  private static Map<UUID, VmNetworkTable> byDomain(HostTable t) {
    Map<UUID, VmNetworkTable> m = new LinkedHashMap<>();
    for (VmNetworkTable n : t.networks()) {
      m.put(n.routingDomainId(), n);
    }
    return m;
  }

  private static <K, V> List<V> upserts(List<V> old, List<V> now, Function<V, K> key) {
    Map<K, V> o = new LinkedHashMap<>();
    old.forEach(v -> o.put(key.apply(v), v));
    List<V> out = new ArrayList<>();
    for (V v : now) {
      if (!Objects.equals(o.get(key.apply(v)), v)) {
        out.add(v);
      }
    }
    return out;
  }

  private static <K, V> List<K> removals(List<V> old, List<V> now, Function<V, K> key) {
    Map<K, V> n = new LinkedHashMap<>();
    now.forEach(v -> n.put(key.apply(v), v));
    List<K> out = new ArrayList<>();
    for (V v : old) {
      if (!n.containsKey(key.apply(v))) {
        out.add(key.apply(v));
      }
    }
    return out;
  }
}
