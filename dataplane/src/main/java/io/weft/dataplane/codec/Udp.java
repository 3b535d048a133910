package io.weft.dataplane.codec;

/** UDP header (RFC 768). */
public final class Udp {

  public static final int HEADER = 8;
  public static final int PORT_DHCP_SERVER = 67;
  public static final int PORT_DHCP_CLIENT = 68;
  public static final int PORT_VXLAN = 4789;

  private Udp() {}

  public static int srcPort(byte[] b, int o) {
    return Bytes.u16(b, o);
  }

  public static int dstPort(byte[] b, int o) {
    return Bytes.u16(b, o + 2);
  }

  public static int length(byte[] b, int o) {
    return Bytes.u16(b, o + 4);
  }

  public static void writeHeader(byte[] b, int o, int srcPort, int dstPort, int length) {
    Bytes.put16(b, o, srcPort);
    Bytes.put16(b, o + 2, dstPort);
    Bytes.put16(b, o + 4, length);
    Bytes.put16(b, o + 6, 0);
  }

  /** Fills the checksum of a UDP datagram of {@code len} bytes carried in IPv4. */
  public static void writeChecksumV4(byte[] b, int o, int len, int srcIp, int dstIp) {
    Bytes.put16(b, o + 6, 0);
    long sum = Checksum.pseudoV4(srcIp, dstIp, Ipv4.PROTO_UDP, len);
    int c = Checksum.finish(Checksum.sum(b, o, len, sum));
    Bytes.put16(b, o + 6, c == 0 ? 0xFFFF : c);
  }

  public static boolean checksumValidV4(byte[] b, int o, int len, int srcIp, int dstIp) {
    if (Bytes.u16(b, o + 6) == 0) {
      return true; // IPv4 UDP checksum is optional
    }
    long sum = Checksum.pseudoV4(srcIp, dstIp, Ipv4.PROTO_UDP, len);
    return Checksum.finish(Checksum.sum(b, o, len, sum)) == 0;
  }
}
