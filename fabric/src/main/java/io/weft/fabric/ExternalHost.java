package io.weft.fabric;

import java.time.Instant;
import java.util.List;

/**
 * An NVGRE or VXLAN endpoint that Weft does not run (a physical server, an appliance, another
 * vendor's switch), admitted into VM networks the way HNV admits non-virtualized hosts: it has a
 * provider address on a logical network, and the machines behind it become lookup records in the
 * tables of every host that shares their VM network.
 *
 * @param encapsulation the logical network's; the endpoint must speak it
 */
public record ExternalHost(
    ExternalHostId id,
    String name,
    LogicalNetworkId logicalNetworkId,
    String providerAddress,
    Encapsulation encapsulation,
    List<ExternalMachine> machines,
    Instant createdAt) {

  public ExternalHost {
    machines = List.copyOf(machines);
  }
}
