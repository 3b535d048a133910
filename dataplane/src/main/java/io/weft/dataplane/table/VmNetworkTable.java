package io.weft.dataplane.table;

import java.util.List;
import java.util.UUID;

/**
 * One VM network (routing domain) present on a host: its subnets, the lookup records of all its
 * vNICs (on every host), and the ports of its vNICs attached here. Frames never leave the domain.
 */
public record VmNetworkTable(
    UUID routingDomainId,
    List<VmSubnet> subnets,
    List<LookupRecord> lookupRecords,
    List<PortEntry> ports) {

  public VmNetworkTable {
    if (routingDomainId == null) {
      throw new IllegalArgumentException("VM network table needs a routingDomainId");
    }
    subnets = List.copyOf(subnets == null ? List.of() : subnets);
    lookupRecords = List.copyOf(lookupRecords == null ? List.of() : lookupRecords);
    ports = List.copyOf(ports == null ? List.of() : ports);
  }
}
