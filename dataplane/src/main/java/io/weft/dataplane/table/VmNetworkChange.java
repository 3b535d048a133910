package io.weft.dataplane.table;

import java.util.List;
import java.util.UUID;

/**
 * Changes to one VM network in a {@link TableDelta}. Removals apply before upserts. Keys: subnets
 * by VSID, lookup records by CA (unique within the VM network), ports by portId. A network that is
 * not on the host yet is created by its first change.
 */
public record VmNetworkChange(
    UUID routingDomainId,
    List<VmSubnet> upsertSubnets,
    List<Integer> removedSubnets,
    List<LookupRecord> upsertRecords,
    List<IpAddress> removedRecords,
    List<PortEntry> upsertPorts,
    List<String> removedPorts) {

  public VmNetworkChange {
    if (routingDomainId == null) {
      throw new IllegalArgumentException("VM network change needs a routingDomainId");
    }
    upsertSubnets = List.copyOf(upsertSubnets == null ? List.of() : upsertSubnets);
    removedSubnets = List.copyOf(removedSubnets == null ? List.of() : removedSubnets);
    upsertRecords = List.copyOf(upsertRecords == null ? List.of() : upsertRecords);
    removedRecords = List.copyOf(removedRecords == null ? List.of() : removedRecords);
    upsertPorts = List.copyOf(upsertPorts == null ? List.of() : upsertPorts);
    removedPorts = List.copyOf(removedPorts == null ? List.of() : removedPorts);
  }

  public boolean isEmpty() {
    return upsertSubnets.isEmpty()
        && removedSubnets.isEmpty()
        && upsertRecords.isEmpty()
        && removedRecords.isEmpty()
        && upsertPorts.isEmpty()
        && removedPorts.isEmpty();
  }
}
