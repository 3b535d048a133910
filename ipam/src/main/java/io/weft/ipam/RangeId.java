package io.weft.ipam;

import java.util.Objects;
import java.util.UUID;

/** Identifies a range inside an address pool. */
public record RangeId(UUID value) {

  public RangeId {
    Objects.requireNonNull(value, "range id");
  }

  public static RangeId random() {
    return new RangeId(UUID.randomUUID());
  }

  public static RangeId parse(String text) {
    try {
      return new RangeId(UUID.fromString(text.strip()));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IpamValidationException("'" + text + "' is not a range id (a UUID)", "rangeId");
    }
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
