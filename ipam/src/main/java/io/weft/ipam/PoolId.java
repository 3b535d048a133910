package io.weft.ipam;

import java.util.Objects;
import java.util.UUID;

/** Identifies an address pool. */
public record PoolId(UUID value) {

  public PoolId {
    Objects.requireNonNull(value, "pool id");
  }

  public static PoolId random() {
    return new PoolId(UUID.randomUUID());
  }

  public static PoolId parse(String text) {
    try {
      return new PoolId(UUID.fromString(text.strip()));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IpamValidationException("'" + text + "' is not a pool id (a UUID)", "poolId");
    }
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
