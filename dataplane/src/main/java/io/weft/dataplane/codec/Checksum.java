package io.weft.dataplane.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** The Internet checksum (RFC 1071) and its pseudo-header sums for UDP, TCP, ICMPv6. */
public final class Checksum {

  /** Eight bytes at a time: segmenting and coalescing TCP sums every byte that crosses a tap. */
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private Checksum() {}

  /**
   * One's-complement sum of 16-bit words, not yet folded or inverted. Summed as 32-bit halves of
   * 64-bit words (RFC 1071 §2(B): the sum may be taken in wider words and folded), which equals the
   * 16-bit word sum after {@link #finish}.
   */
  public static long sum(byte[] b, int off, int len, long initial) {
    long s = initial;
    int i = off;
    int end8 = off + (len & ~7);
    for (; i < end8; i += 8) {
      long w = (long) LONG_BE.get(b, i);
      s += (w >>> 32) + (w & 0xFFFFFFFFL);
    }
    int end = off + len;
    for (; i + 1 < end; i += 2) {
      s += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }
    if (i < end) {
      s += (b[i] & 0xFF) << 8;
    }
    return s;
  }

  /** Folds and inverts a sum into the 16-bit checksum field value. */
  public static int finish(long sum) {
    return ~fold(sum) & 0xFFFF;
  }

  /** Folds a sum to 16 bits without inverting it. */
  public static int fold(long sum) {
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xFFFF) + (sum >>> 16);
    }
    return (int) sum;
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
