package io.weft.dataplane.codec;

/**
 * The offsets and key fields of one Ethernet frame, filled by {@link FrameParser}. One instance is
 * reused for every frame on a thread: it holds no copy of the packet, only positions in the
 * caller's buffer, so nothing is allocated per packet.
 *
 * <p>Addresses: IPv4 sits in {@code srcLo}/{@code dstLo} (low 32 bits, {@code srcHi == 0}); IPv6
 * uses both halves. Fields that do not apply to the frame are 0 (or -1 for {@link #vlanId}).
 */
public final class ParsedFrame {

  public byte[] buffer;
  public int offset;
  public int length;

  public long dstMac;
  public long srcMac;

  /** 802.1Q VLAN id of the outermost tag, or -1 when untagged. */
  public int vlanId;

  /** EtherType after any VLAN tags. */
  public int etherType;

  /** Offset of the ARP or IP header in {@link #buffer}. */
  public int l3Offset;

  /** 4 or 6 for IP frames, 0 otherwise. */
  public int ipVersion;

  /** Length of the IP packet per its header (without Ethernet padding). */
  public int ipLength;

  public long srcHi;
  public long srcLo;
  public long dstHi;
  public long dstLo;

  /** TTL or hop limit. */
  public int ttl;

  /** IP protocol / IPv6 next header of the transport (after extension headers). */
  public int l4Protocol;

  public int l4Offset;
  public int l4Length;

  /** TCP/UDP ports; for ICMP/ICMPv6 srcPort = type and dstPort = code. */
  public int srcPort;

  public int dstPort;

  /** True when the IPv4 packet is a fragment (no ports are read then). */
  public boolean fragment;

  public boolean isArp() {
    return etherType == Ethernet.TYPE_ARP;
  }

  public boolean isIp() {
    return ipVersion != 0;
  }

  public boolean isUdp() {
    return l4Protocol == Ipv4.PROTO_UDP && ipVersion != 0 && !fragment;
  }

  public boolean isIcmpv4() {
    return ipVersion == 4 && l4Protocol == Ipv4.PROTO_ICMP && !fragment;
  }

  public boolean isIcmpv6() {
    return ipVersion == 6 && l4Protocol == Ipv6.NEXT_ICMPV6;
  }

  public int icmpType() {
    return srcPort;
  }

  public int srcV4() {
    return (int) srcLo;
  }

  public int dstV4() {
    return (int) dstLo;
  }

  void clear() {
    dstMac = 0;
    srcMac = 0;
    vlanId = -1;
    etherType = 0;
    l3Offset = 0;
    ipVersion = 0;
    ipLength = 0;
    srcHi = 0;
    srcLo = 0;
    dstHi = 0;
    dstLo = 0;
    ttl = 0;
    l4Protocol = 0;
    l4Offset = 0;
    l4Length = 0;
    srcPort = 0;
    dstPort = 0;
    fragment = false;
  }
}
