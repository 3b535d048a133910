package io.weft.dataplane.codec;

/** The Internet checksum (RFC 1071) and its pseudo-header sums for UDP, ICMPv6. */
public final class Checksum {

  private Checksum() {}

  /** One's-complement sum of 16-bit words, not yet folded or inverted. */
  public static long sum(byte[] b, int off, int len, long initial) {
    long s = initial;
    int end = off + (len & ~1);
    for (int i = off; i < end; i += 2) {
      s += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }
    if ((len & 1) != 0) {
      s += (b[off + len - 1] & 0xFF) << 8;
    }
    return s;
  }

  /** Folds and inverts a sum into the 16-bit checksum field value. */
  public static int finish(long sum) {
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xFFFF) + (sum >>> 16);
    }
    return (int) (~sum & 0xFFFF);
  }

  public static int compute(byte[] b, int off, int len) {
    return finish(sum(b, off, len, 0));
  }

  /** IPv4 pseudo header sum (src, dst, protocol, length). */
  public static long pseudoV4(int src, int dst, int protocol, int length) {
    return (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + protocol + length;
  }

  /** IPv6 pseudo header sum: the addresses are read from an IPv6 header at {@code ip6}. */
  public static long pseudoV6(byte[] b, int ip6, int nextHeader, int length) {
    return sum(b, ip6 + Ipv6.SRC, 32, 0) + nextHeader + (length >>> 16) + (length & 0xFFFF);
  }
}
