package io.weft.ipam;

import java.math.BigInteger;

/** IPv4 or IPv6, with the width of its addresses. */
public enum IpFamily {
  V4(32),
  V6(128);

  private final int bits;
  private final BigInteger maxValue;

  IpFamily(int bits) {
    this.bits = bits;
    this.maxValue = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
  }

  public int bits() {
    return bits;
  }

  /** The largest address value of this family (all ones). */
  public BigInteger maxValue() {
    return maxValue;
  }
}
