package io.weft.dataplane.table;

/** The host-wide part of a table, carried by a delta only when it changes. */
public record HostSettings(Encapsulation encapsulation, IpAddress localPa, int overlayMtu) {

  public static HostSettings of(HostTable t) {
    return new HostSettings(t.encapsulation(), t.localPa(), t.overlayMtu());
  }
}
