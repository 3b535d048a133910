package io.weft.fabric;

import java.util.Objects;
import java.util.UUID;

/** Identifies a logical (provider) network. */
public record LogicalNetworkId(UUID value) {
  public LogicalNetworkId {
    Objects.requireNonNull(value, "logicalNetworkId");
  }

  public static LogicalNetworkId random() {
    return new LogicalNetworkId(UUID.randomUUID());
  }

  /** Parses a path or body value; anything but a UUID names no such object. */
  public static LogicalNetworkId parse(String text) {
    try {
      return new LogicalNetworkId(UUID.fromString(text.strip()));
    } catch (RuntimeException e) {
      throw new InvalidRequestException("'" + text + "' is not a valid id", "logicalNetworkId");
    }
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
