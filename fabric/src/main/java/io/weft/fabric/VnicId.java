package io.weft.fabric;

import java.util.Objects;
import java.util.UUID;

/** Identifies a VM's network adapter. */
public record VnicId(UUID value) {
  public VnicId {
    Objects.requireNonNull(value, "vnicId");
  }

  public static VnicId random() {
    return new VnicId(UUID.randomUUID());
  }

  /** Parses a path or body value; anything but a UUID names no such object. */
  public static VnicId parse(String text) {
    try {
      return new VnicId(UUID.fromString(text.strip()));
    } catch (RuntimeException e) {
      throw new InvalidRequestException("'" + text + "' is not a valid id", "vnicId");
    }
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
