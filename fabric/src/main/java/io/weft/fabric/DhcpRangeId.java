package io.weft.fabric;

import java.util.Objects;
import java.util.UUID;

/** Identifies a DHCP range of a VM subnet. */
public record DhcpRangeId(UUID value) {
  public DhcpRangeId {
    Objects.requireNonNull(value, "dhcpRangeId");
  }

  public static DhcpRangeId random() {
    return new DhcpRangeId(UUID.randomUUID());
  }

  /** Parses a path or body value; anything but a UUID names no such object. */
  public static DhcpRangeId parse(String text) {
    try {
      return new DhcpRangeId(UUID.fromString(text.strip()));
    } catch (RuntimeException e) {
      throw new InvalidRequestException("'" + text + "' is not a valid id", "dhcpRangeId");
    }
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
