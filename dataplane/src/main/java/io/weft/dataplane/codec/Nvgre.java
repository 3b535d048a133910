package io.weft.dataplane.codec;

/**
 * NVGRE (RFC 7637): an 8-byte GRE header with only the key present (flags 0x2000), protocol 0x6558
 * (transparent Ethernet bridging), key = VSID &lt;&lt; 8 | FlowID.
 */
public final class Nvgre {

  public static final int HEADER = 8;
  public static final int FLAGS_KEY_PRESENT = 0x2000;
  public static final int PROTOCOL_TEB = 0x6558;

  /** Outer IPv4 + GRE: what the overlay MTU gives up. */
  public static final int OVERHEAD = Ipv4.MIN_HEADER + HEADER + Ethernet.HEADER;

  private Nvgre() {}

  /** True for exactly the header NVGRE uses: key present, no checksum/sequence, version 0. */
  public static boolean valid(byte[] b, int o, int len) {
    return len >= HEADER
        && Bytes.u16(b, o) == FLAGS_KEY_PRESENT
        && Bytes.u16(b, o + 2) == PROTOCOL_TEB;
  }

  public static int vsid(byte[] b, int o) {
    return Bytes.i32(b, o + 4) >>> 8;
  }

  public static int flowId(byte[] b, int o) {
    return Bytes.u8(b, o + 7);
  }

  public static void write(byte[] b, int o, int vsid, int flowId) {
    Bytes.put16(b, o, FLAGS_KEY_PRESENT);
    Bytes.put16(b, o + 2, PROTOCOL_TEB);
    Bytes.put32(b, o + 4, (vsid << 8) | (flowId & 0xFF));
  }
}
