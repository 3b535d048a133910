package io.weft.fabric;

import java.util.Objects;
import java.util.UUID;

/** Identifies an external NVGRE or VXLAN endpoint (a machine Weft does not run). */
public record ExternalHostId(UUID value) {
  public ExternalHostId {
    Objects.requireNonNull(value, "externalHostId");
  }

  public static ExternalHostId random() {
    return new ExternalHostId(UUID.randomUUID());
  }

  /** Parses a path or body value; anything but a UUID names no such object. */
  public static ExternalHostId parse(String text) {
    try {
      return new ExternalHostId(UUID.fromString(text.strip()));
    } catch (RuntimeException e) {
      throw new InvalidRequestException("'" + text + "' is not a valid id", "externalHostId");
    }
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
