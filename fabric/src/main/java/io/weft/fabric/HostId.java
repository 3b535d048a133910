package io.weft.fabric;

import java.util.Objects;
import java.util.UUID;

/** Identifies a host running the data-plane agent. */
public record HostId(UUID value) {
  public HostId {
    Objects.requireNonNull(value, "hostId");
  }

  public static HostId random() {
    return new HostId(UUID.randomUUID());
  }

  /** Parses a path or body value; anything but a UUID names no such object. */
  public static HostId parse(String text) {
    try {
      return new HostId(UUID.fromString(text.strip()));
    } catch (RuntimeException e) {
      throw new InvalidRequestException("'" + text + "' is not a valid id", "hostId");
    }
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
