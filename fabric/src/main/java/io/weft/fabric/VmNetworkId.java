package io.weft.fabric;

import java.util.Objects;
import java.util.UUID;

/** Identifies a VM network (a tenant's routing domain). */
public record VmNetworkId(UUID value) {
  public VmNetworkId {
    Objects.requireNonNull(value, "vmNetworkId");
  }

  public static VmNetworkId random() {
    return new VmNetworkId(UUID.randomUUID());
  }

  /** Parses a path or body value; anything but a UUID names no such object. */
  public static VmNetworkId parse(String text) {
    try {
      return new VmNetworkId(UUID.fromString(text.strip()));
    } catch (RuntimeException e) {
      throw new InvalidRequestException("'" + text + "' is not a valid id", "vmNetworkId");
    }
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
