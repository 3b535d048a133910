package io.weft.dataplane.codec;

/**
 * Parses an Ethernet frame into a reusable {@link ParsedFrame}, checking every length before
 * reading it. It never throws on any input: a bad frame yields a non-zero status and the caller
 * counts and drops it.
 */
public final class FrameParser {

  public static final int OK = 0;
  public static final int TRUNCATED_ETHERNET = 1;
  public static final int BAD_ARP = 2;
  public static final int BAD_IPV4 = 3;
  public static final int BAD_IPV6 = 4;
  public static final int BAD_TRANSPORT = 5;

  /** Any EtherType other than ARP/IPv4/IPv6 is reported as OK with no L3 fields. */
  private static final int MAX_VLAN_TAGS = 2;

  private FrameParser() {}

  public static int parse(byte[] b, int off, int len, ParsedFrame f) {
    f.clear();
    f.buffer = b;
    f.offset = off;
    f.length = len;
    if (b == null || off < 0 || len < Ethernet.HEADER || off + len > b.length || off + len < 0) {
      return TRUNCATED_ETHERNET;
    }
    f.dstMac = Ethernet.dst(b, off);
    f.srcMac = Ethernet.src(b, off);
    int p = off + Ethernet.TYPE;
    int end = off + len;
    int type = Bytes.u16(b, p);
    int tags = 0;
    while (type == Ethernet.TYPE_VLAN || type == Ethernet.TYPE_QINQ) {
      if (++tags > MAX_VLAN_TAGS || p + 6 > end) {
        return TRUNCATED_ETHERNET;
      }
      if (f.vlanId < 0) {
        f.vlanId = Bytes.u16(b, p + 2) & 0x0FFF;
      }
      p += 4;
      type = Bytes.u16(b, p);
    }
    f.etherType = type;
    f.l3Offset = p + 2;
    int l3Len = end - f.l3Offset;
    return switch (type) {
      case Ethernet.TYPE_ARP -> Arp.valid(b, f.l3Offset, l3Len) ? OK : BAD_ARP;
      case Ethernet.TYPE_IPV4 -> parseIpv4(b, f.l3Offset, l3Len, f);
      case Ethernet.TYPE_IPV6 -> parseIpv6(b, f.l3Offset, l3Len, f);
      default -> OK;
    };
  }

  private static int parseIpv4(byte[] b, int o, int avail, ParsedFrame f) {
    if (avail < Ipv4.MIN_HEADER || Ipv4.version(b, o) != 4) {
      return BAD_IPV4;
    }
    int ihl = Ipv4.headerLength(b, o);
    int total = Ipv4.totalLength(b, o);
    if (ihl < Ipv4.MIN_HEADER || total < ihl || total > avail) {
      return BAD_IPV4;
    }
    f.ipVersion = 4;
    f.ipLength = total;
    f.srcLo = Ipv4.src(b, o) & 0xFFFFFFFFL;
    f.dstLo = Ipv4.dst(b, o) & 0xFFFFFFFFL;
    f.ttl = Ipv4.ttl(b, o);
    f.l4Protocol = Ipv4.protocol(b, o);
    f.l4Offset = o + ihl;
    f.l4Length = total - ihl;
    f.fragment = Ipv4.isFragment(b, o);
    return f.fragment ? OK : parseTransport(b, f);
  }

  private static int parseIpv6(byte[] b, int o, int avail, ParsedFrame f) {
    if (avail < Ipv6.HEADER || Ipv6.version(b, o) != 6) {
      return BAD_IPV6;
    }
    int payload = Ipv6.payloadLength(b, o);
    if (payload + Ipv6.HEADER > avail) {
      return BAD_IPV6;
    }
    f.ipVersion = 6;
    f.ipLength = payload + Ipv6.HEADER;
    f.srcHi = Ipv6.srcHi(b, o);
    f.srcLo = Ipv6.srcLo(b, o);
    f.dstHi = Ipv6.dstHi(b, o);
    f.dstLo = Ipv6.dstLo(b, o);
    f.ttl = Ipv6.hopLimit(b, o);
    int next = Ipv6.nextHeader(b, o);
    int p = o + Ipv6.HEADER;
    int end = o + f.ipLength;
    // Walk the extension headers that carry a length; stop at a fragment or transport header.
    for (int i = 0;
        i < 8
            && (next == Ipv6.NEXT_HOP_BY_HOP
                || next == Ipv6.NEXT_ROUTING
                || next == Ipv6.NEXT_DEST_OPTS);
        i++) {
      if (p + 8 > end) {
        return BAD_IPV6;
      }
      int extLen = (Bytes.u8(b, p + 1) + 1) * 8;
      if (p + extLen > end) {
        return BAD_IPV6;
      }
      next = Bytes.u8(b, p);
      p += extLen;
    }
    f.l4Protocol = next;
    f.l4Offset = p;
    f.l4Length = end - p;
    if (next == Ipv6.NEXT_FRAGMENT) {
      f.fragment = true;
      return OK;
    }
    return parseTransport(b, f);
  }

  private static int parseTransport(byte[] b, ParsedFrame f) {
    int o = f.l4Offset;
    int len = f.l4Length;
    switch (f.l4Protocol) {
      case Ipv4.PROTO_UDP -> {
        if (len < Udp.HEADER || Udp.length(b, o) < Udp.HEADER || Udp.length(b, o) > len) {
          return BAD_TRANSPORT;
        }
        f.srcPort = Udp.srcPort(b, o);
        f.dstPort = Udp.dstPort(b, o);
        f.l4Length = Udp.length(b, o);
      }
      case Ipv4.PROTO_TCP -> {
        if (len < 20) {
          return BAD_TRANSPORT;
        }
        f.srcPort = Bytes.u16(b, o);
        f.dstPort = Bytes.u16(b, o + 2);
      }
      case Ipv4.PROTO_ICMP, Ipv6.NEXT_ICMPV6 -> {
        boolean icmp = (f.l4Protocol == Ipv4.PROTO_ICMP) == (f.ipVersion == 4);
        if (icmp) {
          if (len < Icmpv4.MIN_LENGTH) {
            return BAD_TRANSPORT;
          }
          f.srcPort = Bytes.u8(b, o);
          f.dstPort = Bytes.u8(b, o + 1);
        }
      }
      default -> {}
    }
    return OK;
  }

  public static String describe(int status) {
    return switch (status) {
      case OK -> "ok";
      case TRUNCATED_ETHERNET -> "truncated Ethernet header or VLAN tags";
      case BAD_ARP -> "malformed ARP";
      case BAD_IPV4 -> "malformed IPv4 header or length";
      case BAD_IPV6 -> "malformed IPv6 header, length or extension header";
      case BAD_TRANSPORT -> "malformed UDP/TCP/ICMP header";
      default -> "status " + status;
    };
  }
}
