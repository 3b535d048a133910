package io.weft.fabric.tables.internal;

import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.LookupRecord;
import io.weft.dataplane.table.PortEntry;
import io.weft.dataplane.table.VmNetworkChange;
import io.weft.dataplane.table.VmNetworkTable;
import io.weft.dataplane.table.VmSubnet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Turns one transaction's {@link ChangeSet} into per-host deltas, following the node graph in
 * {@code package-info}: dirty vNICs → vNIC views (old from the index, new from the model) → spans →
 * per-host network changes → change log. Work is proportional to (dirty vNICs + dirty subnets) ×
 * hosts of their VM networks, plus the full content of a network for a host that newly joins it.
 */
@Component
class IncrementalCompiler {

  private final ModelReader model;
  private final CompiledIndex index;
  private final FullCompiler full;
  private final ChangeLog log;
  private final CompileStats stats;

  IncrementalCompiler(
      ModelReader model,
      CompiledIndex index,
      FullCompiler full,
      ChangeLog log,
      CompileStats stats) {
    this.model = model;
    this.index = index;
    this.full = full;
    this.log = log;
    this.stats = stats;
  }

  /** Compiles and logs the change; returns each touched host's new generation. */
  Map<UUID, Long> compile(ChangeSet cs) {
    long started = System.nanoTime();
    cs.registeredHosts.forEach(log::ensureHost);
    cs.removedHosts.forEach(index::forgetHost);

    // Node "vnic views": old (what hosts see now) and new (what the model says).
    Set<UUID> dirty = new LinkedHashSet<>(cs.vnics);
    dirty.addAll(model.vnicsOfVms(cs.vms));
    dirty.addAll(index.vnicsOfVms(cs.vms));
    Map<UUID, VnicView> old = index.load(dirty);
    Map<UUID, VnicView> fresh = new HashMap<>();
    for (VnicView v : model.viewsOfVnics(dirty)) {
      fresh.put(v.vnicId(), v);
    }

    // Node "subnets": dirty subnets by network (deleted ones arrive as removals with their VSID).
    Map<UUID, List<VmSubnet>> subnetUpserts = new HashMap<>();
    Map<UUID, VmSubnet> changedSubnets = model.subnets(cs.subnets);
    for (UUID subnetId : changedSubnets.keySet()) {
      model
          .networkOfSubnet(subnetId)
          .ifPresent(n ->
              subnetUpserts
                  .computeIfAbsent(n, k -> new ArrayList<>())
                  .add(changedSubnets.get(subnetId)));
    }

    Map<UUID, List<UUID>> dirtyByNetwork = new HashMap<>();
    for (UUID id : dirty) {
      VnicView v = fresh.containsKey(id) ? fresh.get(id) : old.get(id);
      if (v != null) {
        dirtyByNetwork.computeIfAbsent(v.networkId(), k -> new ArrayList<>()).add(id);
      }
    }
    Set<UUID> networks = new LinkedHashSet<>(dirtyByNetwork.keySet());
    networks.addAll(subnetUpserts.keySet());
    networks.addAll(cs.removedSubnets.keySet());
    networks.addAll(cs.externalUpserts.keySet());
    networks.addAll(cs.externalRemovals.keySet());

    // Node "spans": hosts holding ports of each network, before and after.
    Map<UUID, Map<UUID, Integer>> before = index.spans(networks);
    Map<UUID, Map<UUID, Integer>> after = new HashMap<>();
    before.forEach((n, m) -> after.put(n, new HashMap<>(m)));
    for (VnicView v : old.values()) {
      v.portHosts().forEach(h -> after.get(v.networkId()).merge(h, -1, Integer::sum));
    }
    for (VnicView v : fresh.values()) {
      v.portHosts().forEach(h -> after.get(v.networkId()).merge(h, 1, Integer::sum));
    }
    // The compiler's memory is written in LockOrder (networks, then hosts; then vNICs), so two
    // transactions adjusting the same span or vNIC rows take them in the same order.
    for (UUID n : LockOrder.sorted(networks)) {
      Map<UUID, Integer> span = after.get(n);
      for (UUID h : LockOrder.sorted(span.keySet())) {
        int was = before.get(n).getOrDefault(h, 0);
        int now = span.get(h);
        if (was != now) {
          index.adjustSpan(n, h, now - was, now);
        }
      }
    }
    for (UUID id : LockOrder.sorted(dirty)) {
      VnicView f = fresh.get(id);
      if (f != null && !f.equals(old.get(id))) {
        index.upsert(f);
      } else if (f == null && old.containsKey(id)) {
        index.delete(id);
      }
    }

    // Node "host changes".
    Map<UUID, HostChange> changes = new HashMap<>();
    Map<UUID, Set<UUID>> joiners = new HashMap<>();
    for (UUID n : networks) {
      Set<UUID> was = present(before.get(n));
      Set<UUID> now = present(after.get(n));
      for (UUID h : was) {
        if (!now.contains(h)) {
          changes.computeIfAbsent(h, k -> new HostChange()).removed.add(n);
        }
      }
      for (UUID h : now) {
        if (!was.contains(h)) {
          joiners.computeIfAbsent(h, k -> new LinkedHashSet<>()).add(n);
          continue;
        }
        VmNetworkChange c =
            change(
                h,
                n,
                dirtyByNetwork.getOrDefault(n, List.of()),
                old,
                fresh,
                subnetUpserts.getOrDefault(n, List.of()),
                cs.removedSubnets.getOrDefault(n, Set.of()));
        c = withExternal(c, cs.externalUpserts.get(n), cs.externalRemovals.get(n));
        if (!c.isEmpty()) {
          changes.computeIfAbsent(h, k -> new HostChange()).changes.add(c);
        }
      }
    }
    // Node "joined networks": full content of a network for a host that gains its first port.
    full.networks(joiners)
        .forEach((h, tables) -> {
          HostChange hc = changes.computeIfAbsent(h, k -> new HostChange());
          for (VmNetworkTable t : tables.values()) {
            hc.changes.add(
                new VmNetworkChange(
                    t.routingDomainId(),
                    t.subnets(),
                    List.of(),
                    t.lookupRecords(),
                    List.of(),
                    t.ports(),
                    List.of()));
            hc.joined.add(t.routingDomainId());
          }
        });
    Map<UUID, Long> generations = log.append(changes, cs.tableRowWrites);
    stats.record(generations.size(), System.nanoTime() - started);
    return generations;
  }

  private static VmNetworkChange change(
      UUID h,
      UUID n,
      List<UUID> dirty,
      Map<UUID, VnicView> old,
      Map<UUID, VnicView> fresh,
      List<VmSubnet> subnetUpserts,
      Set<Integer> subnetRemovals) {
    List<LookupRecord> upserts = new ArrayList<>();
    List<IpAddress> removals = new ArrayList<>();
    List<PortEntry> portUpserts = new ArrayList<>();
    List<String> portRemovals = new ArrayList<>();
    for (UUID id : dirty) {
      VnicView o = old.get(id);
      VnicView f = fresh.get(id);
      LookupRecord or = o == null ? null : o.recordFor(h);
      LookupRecord fr = f == null ? null : f.recordFor(h);
      if (fr != null && !fr.equals(or)) {
        upserts.add(fr);
      }
      if (or != null && (fr == null || !fr.ca().equals(or.ca()))) {
        removals.add(or.ca());
      }
      PortEntry op = o == null ? null : o.portOn(h);
      PortEntry fp = f == null ? null : f.portOn(h);
      if (fp != null && !Objects.equals(fp, op)) {
        portUpserts.add(fp);
      }
      if (op != null && fp == null) {
        portRemovals.add(op.portId());
      }
    }
    return new VmNetworkChange(
        n,
        subnetUpserts,
        new ArrayList<>(subnetRemovals),
        upserts,
        removals,
        portUpserts,
        portRemovals);
  }

  /** Adds the records of machines behind external hosts; every host of the network sees them. */
  private static VmNetworkChange withExternal(
      VmNetworkChange c, List<LookupRecord> upserts, List<IpAddress> removals) {
    if (upserts == null && removals == null) {
      return c;
    }
    List<LookupRecord> records = new ArrayList<>(c.upsertRecords());
    List<IpAddress> removed = new ArrayList<>(c.removedRecords());
    if (upserts != null) {
      records.addAll(upserts);
    }
    if (removals != null) {
      removed.addAll(removals);
    }
    return new VmNetworkChange(
        c.routingDomainId(),
        c.upsertSubnets(),
        c.removedSubnets(),
        records,
        removed,
        c.upsertPorts(),
        c.removedPorts());
  }

  private static Set<UUID> present(Map<UUID, Integer> span) {
    Set<UUID> out = new LinkedHashSet<>();
    span.forEach((h, c) -> {
      if (c > 0) {
        out.add(h);
      }
    });
    return out;
  }
}
