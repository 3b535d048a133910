package io.weft.fabric;

import java.util.Objects;
import java.util.UUID;

/** Identifies a tenant VM. */
public record VmId(UUID value) {
  public VmId {
    Objects.requireNonNull(value, "vmId");
  }

  public static VmId random() {
    return new VmId(UUID.randomUUID());
  }

  /** Parses a path or body value; anything but a UUID names no such object. */
  public static VmId parse(String text) {
    try {
      return new VmId(UUID.fromString(text.strip()));
    } catch (RuntimeException e) {
      throw new InvalidRequestException("'" + text + "' is not a valid id", "vmId");
    }
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
