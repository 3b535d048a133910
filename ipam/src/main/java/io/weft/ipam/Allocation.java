package io.weft.ipam;

import java.time.Instant;
import java.util.Optional;

/**
 * One allocated address: who holds it and since when, and the range it came from ({@code null} when
 * it was allocated explicitly outside every range).
 */
public record Allocation(
    PoolId pool, IpAddressValue address, RangeId range, String owner, Instant allocatedAt) {

  public Optional<RangeId> rangeId() {
    return Optional.ofNullable(range);
  }
}
