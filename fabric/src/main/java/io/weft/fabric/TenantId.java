package io.weft.fabric;

import java.util.Objects;
import java.util.UUID;

/** Identifies a tenant. */
public record TenantId(UUID value) {
  public TenantId {
    Objects.requireNonNull(value, "tenantId");
  }

  public static TenantId random() {
    return new TenantId(UUID.randomUUID());
  }

  /** Parses a path or body value; anything but a UUID names no such object. */
  public static TenantId parse(String text) {
    try {
      return new TenantId(UUID.fromString(text.strip()));
    } catch (RuntimeException e) {
      throw new InvalidRequestException("'" + text + "' is not a valid id", "tenantId");
    }
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
