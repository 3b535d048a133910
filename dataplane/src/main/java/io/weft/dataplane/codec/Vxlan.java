package io.weft.dataplane.codec;

/** VXLAN (RFC 7348): flags 0x08 (VNI valid), 24-bit VNI = VSID, carried in UDP to port 4789. */
public final class Vxlan {

  public static final int HEADER = 8;
  public static final int FLAG_VNI = 0x08;

  /** Outer IPv4 + UDP + VXLAN + inner Ethernet. */
  public static final int OVERHEAD = Ipv4.MIN_HEADER + Udp.HEADER + HEADER + Ethernet.HEADER;

  private Vxlan() {}

  public static boolean valid(byte[] b, int o, int len) {
    return len >= HEADER && (Bytes.u8(b, o) & FLAG_VNI) != 0;
  }

  public static int vni(byte[] b, int o) {
    return Bytes.i32(b, o + 4) >>> 8;
  }

  public static void write(byte[] b, int o, int vni) {
    Bytes.put32(b, o, FLAG_VNI << 24);
    Bytes.put32(b, o + 4, vni << 8);
  }

  /** RFC 7348 §5: a source port from the inner flow hash in the dynamic range 49152..65535. */
  public static int sourcePort(int flowHash) {
    return 49152 | (flowHash & 0x3FFF);
  }
}
