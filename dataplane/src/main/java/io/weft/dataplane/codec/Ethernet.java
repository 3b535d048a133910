package io.weft.dataplane.codec;

/** Ethernet II header, optionally with 802.1Q / 802.1ad tags. */
public final class Ethernet {

  public static final int HEADER = 14;
  public static final int DST = 0;
  public static final int SRC = 6;
  public static final int TYPE = 12;
  public static final int TYPE_IPV4 = 0x0800;
  public static final int TYPE_ARP = 0x0806;
  public static final int TYPE_IPV6 = 0x86DD;
  public static final int TYPE_VLAN = 0x8100;
  public static final int TYPE_QINQ = 0x88A8;
  public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

  private Ethernet() {}

  public static long dst(byte[] b, int o) {
    return Bytes.u48(b, o + DST);
  }

  public static long src(byte[] b, int o) {
    return Bytes.u48(b, o + SRC);
  }

  public static boolean isMulticast(long mac) {
    return ((mac >>> 40) & 1) != 0;
  }

  public static void writeHeader(byte[] b, int o, long dst, long src, int type) {
    Bytes.put48(b, o + DST, dst);
    Bytes.put48(b, o + SRC, src);
    Bytes.put16(b, o + TYPE, type);
  }

  /** IPv6 multicast MAC 33:33:xx:xx:xx:xx for a multicast group's low 32 bits. */
  public static long ipv6MulticastMac(long groupLo) {
    return 0x3333_0000_0000L | (groupLo & 0xFFFF_FFFFL);
  }
}
