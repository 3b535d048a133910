package io.weft.ipam;

import java.math.BigInteger;

/** How full one range is; same meaning as {@link PoolUsage}. */
public record RangeUsage(
    RangeId range, BigInteger size, BigInteger allocated, BigInteger free, double percent) {

  public static RangeUsage of(RangeId range, BigInteger size, BigInteger allocated) {
    return new RangeUsage(
        range,
        size,
        allocated,
        size.subtract(allocated).max(BigInteger.ZERO),
        PoolUsage.percent(size, allocated));
  }
}
