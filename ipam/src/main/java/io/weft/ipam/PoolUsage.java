package io.weft.ipam;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * How full a pool is: {@code size} assignable values, {@code allocated} of them taken, {@code free}
 * left, {@code percent} taken (0..100).
 */
public record PoolUsage(BigInteger size, BigInteger allocated, BigInteger free, double percent) {

  public static PoolUsage of(BigInteger size, BigInteger allocated) {
    return new PoolUsage(
        size, allocated, size.subtract(allocated).max(BigInteger.ZERO), percent(size, allocated));
  }

  static double percent(BigInteger size, BigInteger allocated) {
    if (size.signum() == 0) {
      return 0;
    }
    return new BigDecimal(allocated)
        .multiply(BigDecimal.valueOf(100))
        .divide(new BigDecimal(size), MathContext.DECIMAL64)
        .doubleValue();
  }
}
