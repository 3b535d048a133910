package io.weft.dataplane.codec;

/** IPv4 header (RFC 791). */
public final class Ipv4 {

  public static final int MIN_HEADER = 20;
  public static final int PROTO_ICMP = 1;
  public static final int PROTO_GRE = 47;
  public static final int PROTO_UDP = 17;
  public static final int PROTO_TCP = 6;

  private Ipv4() {}

  public static int version(byte[] b, int o) {
    return (b[o] & 0xFF) >>> 4;
  }

  public static int headerLength(byte[] b, int o) {
    return (b[o] & 0x0F) * 4;
  }

  public static int totalLength(byte[] b, int o) {
    return Bytes.u16(b, o + 2);
  }

  /** True when this is a non-first fragment or more fragments follow. */
  public static boolean isFragment(byte[] b, int o) {
    return (Bytes.u16(b, o + 6) & 0x3FFF) != 0;
  }

  public static int ttl(byte[] b, int o) {
    return Bytes.u8(b, o + 8);
  }

  public static int protocol(byte[] b, int o) {
    return Bytes.u8(b, o + 9);
  }

  public static int checksum(byte[] b, int o) {
    return Bytes.u16(b, o + 10);
  }

  public static int src(byte[] b, int o) {
    return Bytes.i32(b, o + 12);
  }

  public static int dst(byte[] b, int o) {
    return Bytes.i32(b, o + 16);
  }

  public static boolean checksumValid(byte[] b, int o) {
    return Checksum.compute(b, o, headerLength(b, o)) == 0;
  }

  /** Decrements TTL and patches the checksum incrementally (RFC 1624), as routers do. */
  public static void decrementTtl(byte[] b, int o) {
    b[o + 8] = (byte) (b[o + 8] - 1);
    int sum = (~Bytes.u16(b, o + 10) & 0xFFFF) + 0xFEFF; // + ~0x0100 in one's complement
    sum = (sum & 0xFFFF) + (sum >>> 16);
    sum = (sum & 0xFFFF) + (sum >>> 16);
    Bytes.put16(b, o + 10, ~sum & 0xFFFF);
  }

  /** Writes a 20-byte header without options and its checksum. */
  public static void writeHeader(
      byte[] b, int o, int totalLength, int id, int ttl, int protocol, int src, int dst) {
    b[o] = 0x45;
    b[o + 1] = 0;
    Bytes.put16(b, o + 2, totalLength);
    Bytes.put16(b, o + 4, id);
    Bytes.put16(b, o + 6, 0x4000); // don't fragment: the overlay MTU already fits the underlay
    b[o + 8] = (byte) ttl;
    b[o + 9] = (byte) protocol;
    Bytes.put16(b, o + 10, 0);
    Bytes.put32(b, o + 12, src);
    Bytes.put32(b, o + 16, dst);
    Bytes.put16(b, o + 10, Checksum.compute(b, o, MIN_HEADER));
  }
}
