package io.weft.dataplane.codec;

/** ARP for IPv4 over Ethernet (RFC 826); 28 bytes after the Ethernet header. */
public final class Arp {

  public static final int LENGTH = 28;
  public static final int OP_REQUEST = 1;
  public static final int OP_REPLY = 2;

  private Arp() {}

  /** True when the packet is Ethernet/IPv4 ARP and complete. */
  public static boolean valid(byte[] b, int o, int len) {
    return len >= LENGTH
        && Bytes.u16(b, o) == 1
        && Bytes.u16(b, o + 2) == Ethernet.TYPE_IPV4
        && Bytes.u8(b, o + 4) == 6
        && Bytes.u8(b, o + 5) == 4;
  }

  public static int op(byte[] b, int o) {
    return Bytes.u16(b, o + 6);
  }

  public static long senderMac(byte[] b, int o) {
    return Bytes.u48(b, o + 8);
  }

  public static int senderIp(byte[] b, int o) {
    return Bytes.i32(b, o + 14);
  }

  public static long targetMac(byte[] b, int o) {
    return Bytes.u48(b, o + 18);
  }

  public static int targetIp(byte[] b, int o) {
    return Bytes.i32(b, o + 24);
  }

  public static void write(
      byte[] b, int o, int op, long senderMac, int senderIp, long targetMac, int targetIp) {
    Bytes.put16(b, o, 1);
    Bytes.put16(b, o + 2, Ethernet.TYPE_IPV4);
    b[o + 4] = 6;
    b[o + 5] = 4;
    Bytes.put16(b, o + 6, op);
    Bytes.put48(b, o + 8, senderMac);
    Bytes.put32(b, o + 14, senderIp);
    Bytes.put48(b, o + 18, targetMac);
    Bytes.put32(b, o + 24, targetIp);
  }
}
