package io.weft.dataplane.codec;

/** ICMPv6 (RFC 4443) and neighbour discovery (RFC 4861): NS, NA, RA, redirect. */
public final class Icmpv6 {

  public static final int MIN_LENGTH = 8;
  public static final int ECHO_REQUEST = 128;
  public static final int ECHO_REPLY = 129;
  public static final int ROUTER_SOLICITATION = 133;
  public static final int ROUTER_ADVERTISEMENT = 134;
  public static final int NEIGHBOR_SOLICITATION = 135;
  public static final int NEIGHBOR_ADVERTISEMENT = 136;
  public static final int REDIRECT = 137;

  /** NS/NA: 4 bytes type/code/checksum, 4 bytes flags/reserved, 16 bytes target. */
  public static final int ND_LENGTH = 24;

  public static final int OPT_SOURCE_LL = 1;
  public static final int OPT_TARGET_LL = 2;

  /** NA with a target link-layer option. */
  public static final int NA_WITH_OPTION = ND_LENGTH + 8;

  public static final int NA_FLAG_ROUTER = 0x8000_0000;
  public static final int NA_FLAG_SOLICITED = 0x4000_0000;
  public static final int NA_FLAG_OVERRIDE = 0x2000_0000;

  private Icmpv6() {}

  public static int type(byte[] b, int o) {
    return Bytes.u8(b, o);
  }

  public static int code(byte[] b, int o) {
    return Bytes.u8(b, o + 1);
  }

  public static long targetHi(byte[] b, int o) {
    return Bytes.i64(b, o + 8);
  }

  public static long targetLo(byte[] b, int o) {
    return Bytes.i64(b, o + 16);
  }

  /**
   * The link-layer address in the first option of {@code optionType} after the ND body, or -1 when
   * absent or when the options are malformed (zero length or running past the end).
   */
  public static long linkLayerOption(byte[] b, int o, int len, int optionType) {
    int p = o + ND_LENGTH;
    int end = o + len;
    while (p + 2 <= end) {
      int units = Bytes.u8(b, p + 1);
      if (units == 0 || p + units * 8 > end) {
        return -1;
      }
      if (Bytes.u8(b, p) == optionType && units == 1) {
        return Bytes.u48(b, p + 2);
      }
      p += units * 8;
    }
    return -1;
  }

  /** Writes a neighbour advertisement body with a target link-layer option (32 bytes). */
  public static void writeNeighborAdvertisement(
      byte[] b, int o, int flags, long targetHi, long targetLo, long targetMac) {
    b[o] = (byte) NEIGHBOR_ADVERTISEMENT;
    b[o + 1] = 0;
    Bytes.put16(b, o + 2, 0);
    Bytes.put32(b, o + 4, flags);
    Bytes.put64(b, o + 8, targetHi);
    Bytes.put64(b, o + 16, targetLo);
    b[o + 24] = (byte) OPT_TARGET_LL;
    b[o + 25] = 1;
    Bytes.put48(b, o + 26, targetMac);
  }

  /** Writes a neighbour solicitation body with a source link-layer option (32 bytes). */
  public static void writeNeighborSolicitation(
      byte[] b, int o, long targetHi, long targetLo, long sourceMac) {
    b[o] = (byte) NEIGHBOR_SOLICITATION;
    b[o + 1] = 0;
    Bytes.put16(b, o + 2, 0);
    Bytes.put32(b, o + 4, 0);
    Bytes.put64(b, o + 8, targetHi);
    Bytes.put64(b, o + 16, targetLo);
    b[o + 24] = (byte) OPT_SOURCE_LL;
    b[o + 25] = 1;
    Bytes.put48(b, o + 26, sourceMac);
  }

  /**
   * Fills the checksum of an ICMPv6 message of {@code len} bytes at {@code o} inside {@code ip6}.
   */
  public static void writeChecksum(byte[] b, int ip6, int o, int len) {
    Bytes.put16(b, o + 2, 0);
    long sum = Checksum.pseudoV6(b, ip6, Ipv6.NEXT_ICMPV6, len);
    Bytes.put16(b, o + 2, Checksum.finish(Checksum.sum(b, o, len, sum)));
  }

  public static boolean checksumValid(byte[] b, int ip6, int o, int len) {
    long sum = Checksum.pseudoV6(b, ip6, Ipv6.NEXT_ICMPV6, len);
    return Checksum.finish(Checksum.sum(b, o, len, sum)) == 0;
  }
}
