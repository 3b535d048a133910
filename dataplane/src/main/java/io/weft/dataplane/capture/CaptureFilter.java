package io.weft.dataplane.capture;

import io.weft.dataplane.table.IpAddress;

/**
 * Which frames a bounded capture keeps, checked on the switch thread without allocating: an
 * encapsulated packet's VSID (underlay captures), a customer address (IPv4 or IPv6) as source or
 * destination of the (inner) packet, and its IP protocol. Zero / null / -1 fields match anything.
 *
 * <p>The protocol is the IPv4 header's protocol or the IPv6 header's next header, read in the fixed
 * header only: an IPv6 packet whose first header is an extension header (a fragment, hop-by-hop
 * options) has that header's number there, and is kept only for that number. The libpcap
 * expressions below say exactly this ({@code ip6[6] = P}, not libpcap's {@code ip6 proto P}, which
 * also looks behind a fragment header), so the kernel and the switch keep the same packets.
 *
 * @param vsid the NVGRE VSID or VXLAN VNI; 0 = any (ignored for port captures: a port has one)
 * @param address the address the inner packet must come from or go to; null = any. An IPv4 address
 *     keeps only IPv4 packets, an IPv6 address only IPv6 packets
 * @param protocol the inner IP protocol / IPv6 next header (1 ICMP, 6 TCP, 17 UDP, 58 ICMPv6); -1 =
 *     any
 */
public record CaptureFilter(int vsid, IpAddress address, int protocol) {

  public static final CaptureFilter ALL = new CaptureFilter(0, null, -1);

  private static final int ETHER_IPV4 = 0x0800;
  private static final int ETHER_IPV6 = 0x86DD;

  /** Whether to keep a frame from a vNIC port (Ethernet). */
  public boolean matchesEthernet(byte[] b, int off, int len) {
    return matchesInner(b, off, len);
  }

  /** Whether to keep an underlay packet (outer IPv4 carrying NVGRE or VXLAN). */
  public boolean matchesUnderlay(byte[] b, int off, int len) {
    if (len < 20 || (b[off] >> 4 & 0xF) != 4) {
      return vsid == 0 && address == null && protocol < 0;
    }
    int ihl = (b[off] & 0xF) * 4;
    int l4 = off + ihl;
    int end = off + len;
    int outerProtocol = b[off + 9] & 0xFF;
    int packetVsid;
    int inner;
    if (outerProtocol == 47 && l4 + 8 <= end && (b[l4] & 0x20) != 0) {
      packetVsid = (int) (u32(b, l4 + 4) >>> 8);
      inner = l4 + 8;
    } else if (outerProtocol == 17 && l4 + 16 <= end && u16(b, l4 + 2) == 4789) {
      packetVsid = (int) (u32(b, l4 + 12) >>> 8);
      inner = l4 + 16;
    } else {
      return vsid == 0 && address == null && protocol < 0;
    }
    if (vsid != 0 && packetVsid != vsid) {
      return false;
    }
    return matchesInner(b, inner, end - inner);
  }

  /**
   * The same filter for a vNIC's Ethernet frames as a libpcap expression, compiled to BPF and run
   * in the kernel on the tap: IPv4 or IPv6 only once an address or protocol is asked for, as {@link
   * #matchesEthernet}; empty (everything) otherwise.
   */
  public String bpfForPort() {
    if (address == null) {
      return protocol < 0 ? "" : "(ip proto " + protocol + " or ip6[6] = " + protocol + ")";
    }
    String host = (address.v6() ? "ip6 host " : "ip host ") + address;
    if (protocol < 0) {
      return host;
    }
    return (address.v6() ? "ip6[6] = " : "ip proto ") + protocol + " and " + host;
  }

  /**
   * The same filter for the underlay interface (Ethernet frames carrying the outer IPv4 packet) as
   * a libpcap expression: NVGRE (GRE with a key; VSID = key >> 8) or VXLAN (UDP 4789; VNI), then
   * the inner frame's EtherType, protocol and addresses at their offsets behind the encapsulation
   * (an IPv6 address as four 32-bit words: BPF loads at most four bytes). Without any field it
   * keeps all encapsulated traffic (what the switch's underlay sees), not the host's other traffic
   * on that interface.
   */
  public String bpfForUnderlay() {
    String gre = "((ip[0] & 0xf) << 2)"; // the GRE header starts behind the outer IPv4 header
    StringBuilder nvgre = new StringBuilder("ip proto 47 and ip[" + gre + " : 2] & 0x2000 != 0");
    StringBuilder vxlan = new StringBuilder("ip and udp dst port 4789");
    if (vsid != 0) {
      nvgre.append(" and ip[" + gre + " + 4 : 4] & 0xffffff00 = ").append(hex(vsid << 8));
      vxlan.append(" and udp[12 : 4] & 0xffffff00 = ").append(hex(vsid << 8));
    }
    if (address != null || protocol >= 0) {
      // Inner Ethernet at GRE + 8 (NVGRE) or UDP + 16 (VXLAN); its IP header 14 bytes later.
      nvgre.append(" and ").append(inner("ip", gre + " + 22"));
      vxlan.append(" and ").append(inner("udp", "30"));
    }
    return "(" + nvgre + ") or (" + vxlan + ")";
  }

  /** The inner packet's test; {@code ip} is the offset of its IP header from {@code base}. */
  private String inner(String base, String ip) {
    if (address == null) {
      return "((" + innerV4(base, ip) + ") or (" + innerV6(base, ip) + "))";
    }
    return "(" + (address.v6() ? innerV6(base, ip) : innerV4(base, ip)) + ")";
  }

  private String innerV4(String base, String ip) {
    StringBuilder s = new StringBuilder(at(base, ip, "- 2", 2) + " = 0x0800");
    if (protocol >= 0) {
      s.append(" and ").append(at(base, ip, "+ 9", 1)).append(" = ").append(protocol);
    }
    if (address != null) {
      String a = hex(address.v4Bits());
      s.append(" and (" + at(base, ip, "+ 12", 4) + " = " + a)
          .append(" or " + at(base, ip, "+ 16", 4) + " = " + a + ")");
    }
    return s.toString();
  }

  private String innerV6(String base, String ip) {
    StringBuilder s = new StringBuilder(at(base, ip, "- 2", 2) + " = 0x86dd");
    if (protocol >= 0) {
      s.append(" and ").append(at(base, ip, "+ 6", 1)).append(" = ").append(protocol);
    }
    if (address != null) {
      s.append(" and (")
          .append(v6Words(base, ip, 8))
          .append(" or ")
          .append(v6Words(base, ip, 24))
          .append(")");
    }
    return s.toString();
  }

  /** The 16 bytes at {@code ip + at} equal the address, compared as four 32-bit words. */
  private String v6Words(String base, String ip, int at) {
    long[] halves = {address.hi(), address.lo()};
    StringBuilder s = new StringBuilder("(");
    for (int w = 0; w < 4; w++) {
      int word = (int) (halves[w / 2] >>> (w % 2 == 0 ? 32 : 0));
      s.append(w == 0 ? "" : " and ")
          .append(at(base, ip, "+ " + (at + 4 * w), 4))
          .append(" = ")
          .append(hex(word));
    }
    return s.append(")").toString();
  }

  private static String at(String base, String ip, String plus, int size) {
    return base + "[" + ip + " " + plus + (size == 1 ? "" : " : " + size) + "]";
  }

  private static String hex(int v) {
    return "0x" + Integer.toHexString(v);
  }

  private boolean matchesInner(byte[] b, int eth, int len) {
    if (address == null && protocol < 0) {
      return true;
    }
    if (len < 14) {
      return false;
    }
    int type = u16(b, eth + 12);
    int ip = eth + 14;
    if (type == ETHER_IPV4) {
      if (len < 34 || (address != null && address.v6())) {
        return false;
      }
      if (protocol >= 0 && (b[ip + 9] & 0xFF) != protocol) {
        return false;
      }
      int a = address == null ? 0 : address.v4Bits();
      return address == null || (int) u32(b, ip + 12) == a || (int) u32(b, ip + 16) == a;
    }
    if (type == ETHER_IPV6) {
      if (len < 54 || (address != null && !address.v6())) {
        return false;
      }
      if (protocol >= 0 && (b[ip + 6] & 0xFF) != protocol) {
        return false;
      }
      return address == null || isAddress(b, ip + 8) || isAddress(b, ip + 24);
    }
    return false;
  }

  private boolean isAddress(byte[] b, int o) {
    return u64(b, o) == address.hi() && u64(b, o + 8) == address.lo();
  }

  private static int u16(byte[] b, int o) {
    return (b[o] & 0xFF) << 8 | b[o + 1] & 0xFF;
  }

  private static long u32(byte[] b, int o) {
    return (long) u16(b, o) << 16 | u16(b, o + 2);
  }

  private static long u64(byte[] b, int o) {
    return u32(b, o) << 32 | u32(b, o + 4);
  }
}
