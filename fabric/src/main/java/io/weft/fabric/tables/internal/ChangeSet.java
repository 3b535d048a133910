package io.weft.fabric.tables.internal;

import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.LookupRecord;
import io.weft.dataplane.table.MacAddress;
import io.weft.fabric.FabricEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What one transaction changed, as the compiler's inputs: collected from {@link FabricEvent}s and
 * migration steps while the transaction runs, compiled once just before it commits.
 */
final class ChangeSet {

  final Set<UUID> vnics = new LinkedHashSet<>();
  final Set<UUID> vms = new LinkedHashSet<>();
  final Set<UUID> subnets = new LinkedHashSet<>();
  final Map<UUID, Set<Integer>> removedSubnets = new HashMap<>();
  final Set<UUID> registeredHosts = new LinkedHashSet<>();
  final Set<UUID> removedHosts = new LinkedHashSet<>();
  final List<FabricEvent.VmMigrated> migrated = new ArrayList<>();
  final Set<UUID> deletedVms = new LinkedHashSet<>();

  /** Lookup records of machines behind external hosts, admitted or withdrawn, per VM network. */
  final Map<UUID, List<LookupRecord>> externalUpserts = new HashMap<>();

  final Map<UUID, List<IpAddress>> externalRemovals = new HashMap<>();

  /** Migration steps taken in this transaction, to stamp with the generations they produced. */
  final Map<UUID, UUID> startedMigrations = new HashMap<>(); // migration → destination

  final Map<UUID, UUID> switchedMigrations = new HashMap<>(); // migration → vm

  final Map<UUID, UUID> droppedMigrations = new HashMap<>(); // migration → source

  /**
   * Other writes to hosts' {@code fabric_table_host} rows (an agent's report: its counters and last
   * rejection), made when the transaction commits, in {@link LockOrder} with the bumps of the host
   * table generations: a report that took its own row first and its peers' rows later, as the
   * compiler bumped them, deadlocked with a change bumping the same rows in order.
   */
  final Map<UUID, Runnable> tableRowWrites = new TreeMap<>(LockOrder.ROWS);

  void add(FabricEvent event) {
    switch (event) {
      case FabricEvent.VmNetworkCreated e -> {}
      case FabricEvent.VmNetworkDeleted e -> {}
      case FabricEvent.SubnetCreated e -> subnets.add(e.subnetId().value());
      case FabricEvent.SubnetDeleted e ->
          removedSubnets
              .computeIfAbsent(e.vmNetworkId().value(), k -> new LinkedHashSet<>())
              .add(e.vsid());
      case FabricEvent.DhcpRangesChanged e -> subnets.add(e.subnetId().value());
      case FabricEvent.VmPlaced e -> vms.add(e.vmId().value());
      case FabricEvent.VmMigrated e -> {
        migrated.add(e);
        vms.add(e.vmId().value());
      }
      case FabricEvent.VmDeleted e -> {
        vms.add(e.vmId().value());
        deletedVms.add(e.vmId().value());
      }
      case FabricEvent.VnicAddressAssigned e -> vnics.add(e.vnicId().value());
      case FabricEvent.VnicAddressReleased e -> vnics.add(e.vnicId().value());
      case FabricEvent.HostRegistered e -> registeredHosts.add(e.hostId().value());
      case FabricEvent.HostStateChanged e -> {} // moves of VMs arrive as their own events
      case FabricEvent.HostRemoved e -> removedHosts.add(e.hostId().value());
      case FabricEvent.ExternalMachineAdded e ->
          externalUpserts
              .computeIfAbsent(e.vmNetworkId().value(), k -> new ArrayList<>())
              .add(
                  new LookupRecord(
                      e.vsid(),
                      IpAddress.parse(e.address()),
                      MacAddress.parse(e.mac()),
                      IpAddress.parse(e.providerAddress())));
      case FabricEvent.ExternalMachineRemoved e ->
          externalRemovals
              .computeIfAbsent(e.vmNetworkId().value(), k -> new ArrayList<>())
              .add(IpAddress.parse(e.address()));
    }
  }

  boolean isEmpty() {
    return vnics.isEmpty()
        && vms.isEmpty()
        && subnets.isEmpty()
        && removedSubnets.isEmpty()
        && registeredHosts.isEmpty()
        && removedHosts.isEmpty()
        && externalUpserts.isEmpty()
        && externalRemovals.isEmpty();
  }
}
