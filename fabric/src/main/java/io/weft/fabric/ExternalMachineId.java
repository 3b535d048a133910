package io.weft.fabric;

import java.util.Objects;
import java.util.UUID;

/** Identifies one machine behind an external endpoint. */
public record ExternalMachineId(UUID value) {
  public ExternalMachineId {
    Objects.requireNonNull(value, "machineId");
  }

  public static ExternalMachineId random() {
    return new ExternalMachineId(UUID.randomUUID());
  }

  /** Parses a path or body value; anything but a UUID names no such object. */
  public static ExternalMachineId parse(String text) {
    try {
      return new ExternalMachineId(UUID.fromString(text.strip()));
    } catch (RuntimeException e) {
      throw new InvalidRequestException("'" + text + "' is not a valid id", "machineId");
    }
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
