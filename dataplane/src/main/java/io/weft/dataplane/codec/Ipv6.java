package io.weft.dataplane.codec;

/** IPv6 fixed header (RFC 8200). */
public final class Ipv6 {

  public static final int HEADER = 40;
  public static final int SRC = 8;
  public static final int DST = 24;
  public static final int NEXT_ICMPV6 = 58;
  public static final int NEXT_HOP_BY_HOP = 0;
  public static final int NEXT_ROUTING = 43;
  public static final int NEXT_FRAGMENT = 44;
  public static final int NEXT_DEST_OPTS = 60;

  private Ipv6() {}

  public static int version(byte[] b, int o) {
    return (b[o] & 0xFF) >>> 4;
  }

  public static int payloadLength(byte[] b, int o) {
    return Bytes.u16(b, o + 4);
  }

  public static int nextHeader(byte[] b, int o) {
    return Bytes.u8(b, o + 6);
  }

  public static int hopLimit(byte[] b, int o) {
    return Bytes.u8(b, o + 7);
  }

  public static void setHopLimit(byte[] b, int o, int v) {
    b[o + 7] = (byte) v;
  }

  public static long srcHi(byte[] b, int o) {
    return Bytes.i64(b, o + SRC);
  }

  public static long srcLo(byte[] b, int o) {
    return Bytes.i64(b, o + SRC + 8);
  }

  public static long dstHi(byte[] b, int o) {
    return Bytes.i64(b, o + DST);
  }

  public static long dstLo(byte[] b, int o) {
    return Bytes.i64(b, o + DST + 8);
  }

  public static void writeHeader(
      byte[] b,
      int o,
      int payloadLength,
      int nextHeader,
      int hopLimit,
      long srcHi,
      long srcLo,
      long dstHi,
      long dstLo) {
    Bytes.put32(b, o, 0x6000_0000);
    Bytes.put16(b, o + 4, payloadLength);
    b[o + 6] = (byte) nextHeader;
    b[o + 7] = (byte) hopLimit;
    Bytes.put64(b, o + SRC, srcHi);
    Bytes.put64(b, o + SRC + 8, srcLo);
    Bytes.put64(b, o + DST, dstHi);
    Bytes.put64(b, o + DST + 8, dstLo);
  }

  /** Solicited-node multicast group ff02::1:ffXX:XXXX of an address (low 64 bits of it). */
  public static long solicitedNodeLo(long addressLo) {
    return 0x0000_0001_FF00_0000L | (addressLo & 0xFF_FFFFL);
  }

  public static final long SOLICITED_NODE_HI = 0xFF02_0000_0000_0000L;
}
