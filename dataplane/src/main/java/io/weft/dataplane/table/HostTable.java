package io.weft.dataplane.table;

import java.util.List;

/**
 * Everything one host needs to forward, at one generation. Immutable; a new generation is a new
 * table ({@link TableDelta#applyTo(HostTable)}). Check one with {@link TableValidator}.
 *
 * @param hostId the fabric's id of the host
 * @param generation monotonically increasing per host; 0 means "no table yet"
 * @param encapsulation of the host's logical network
 * @param localPa the host's provider address (IPv4)
 * @param overlayMtu MTU offered to VMs: underlay MTU minus encapsulation overhead
 * @param networks the VM networks with a vNIC on this host
 */
public record HostTable(
    String hostId,
    long generation,
    Encapsulation encapsulation,
    IpAddress localPa,
    int overlayMtu,
    List<VmNetworkTable> networks) {

  public HostTable {
    if (hostId == null || hostId.isBlank()) {
      throw new IllegalArgumentException("host table needs a hostId");
    }
    if (encapsulation == null || localPa == null) {
      throw new IllegalArgumentException("host table needs encapsulation and localPa");
    }
    networks = List.copyOf(networks == null ? List.of() : networks);
  }

  /** An empty table at generation 0, what an agent forwards with before its first snapshot. */
  public static HostTable empty(String hostId, Encapsulation encapsulation, IpAddress localPa) {
    return new HostTable(hostId, 0, encapsulation, localPa, 1400, List.of());
  }

  public HostTable withGeneration(long newGeneration) {
    return new HostTable(hostId, newGeneration, encapsulation, localPa, overlayMtu, networks);
  }
}
