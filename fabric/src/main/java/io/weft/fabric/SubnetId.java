package io.weft.fabric;

import java.util.Objects;
import java.util.UUID;

/** Identifies a VM subnet. */
public record SubnetId(UUID value) {
  public SubnetId {
    Objects.requireNonNull(value, "subnetId");
  }

  public static SubnetId random() {
    return new SubnetId(UUID.randomUUID());
  }

  /** Parses a path or body value; anything but a UUID names no such object. */
  public static SubnetId parse(String text) {
    try {
      return new SubnetId(UUID.fromString(text.strip()));
    } catch (RuntimeException e) {
      throw new InvalidRequestException("'" + text + "' is not a valid id", "subnetId");
    }
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
