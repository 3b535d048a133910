package io.weft.fabric.tables.internal;

import io.weft.dataplane.table.AddressingMode;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.LookupRecord;
import io.weft.dataplane.table.MacAddress;
import io.weft.dataplane.table.PortEntry;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A placed vNIC as the host tables see it. Both the model (through {@link ModelReader}) and the
 * compiler's memory (through {@link CompiledIndex}) produce this shape, so "what hosts see" is
 * derived by the same code on the incremental and on the full path.
 *
 * @param host where the VM runs (during a migration: the destination)
 * @param extraHost during a migration, the source that still holds a port; otherwise null
 * @param publishedPa the PA that every host but {@code host} uses for the vNIC: the source's PA
 *     until the destination applied its port, then the destination's
 */
record VnicView(
    UUID vnicId,
    UUID vmId,
    UUID networkId,
    int vsid,
    String mac,
    String addressing,
    String address,
    UUID host,
    String hostPa,
    UUID extraHost,
    String publishedPa) {

  VnicView {
    Objects.requireNonNull(host, "host");
  }

  /** The lookup record {@code viewer} holds for this vNIC, or null while it has no address. */
  LookupRecord recordFor(UUID viewer) {
    if (address == null) {
      return null;
    }
    // The host running the VM always delivers locally, even before peers learn the new PA.
    String pa = viewer.equals(host) ? hostPa : publishedPa;
    return new LookupRecord(
        vsid, IpAddress.parse(address), MacAddress.parse(mac), IpAddress.parse(pa));
  }

  /** The port {@code h} holds for this vNIC, or null. */
  PortEntry portOn(UUID h) {
    if (!h.equals(host) && !h.equals(extraHost)) {
      return null;
    }
    AddressingMode mode = AddressingMode.valueOf(addressing);
    List<IpAddress> allowed = address == null ? List.of() : List.of(IpAddress.parse(address));
    return PortEntry.guarded(vnicId.toString(), vsid, MacAddress.parse(mac), mode, allowed);
  }

  /** Hosts holding a port: one, or two during a migration. */
  List<UUID> portHosts() {
    return extraHost == null || extraHost.equals(host) ? List.of(host) : List.of(host, extraHost);
  }
}
