package io.weft.dataplane.capture;

/**
 * Which frames a bounded capture keeps, checked on the switch thread without allocating: an
 * encapsulated packet's VSID (underlay captures), an IPv4 customer address as source or destination
 * of the (inner) packet, and its IP protocol. Zero / -1 fields match anything.
 *
 * @param vsid the NVGRE VSID or VXLAN VNI; 0 = any (ignored for port captures: a port has one)
 * @param address an IPv4 address (bits) the inner packet must come from or go to; 0 = any
 * @param protocol the inner IP protocol (1 ICMP, 6 TCP, 17 UDP); -1 = any
 */
public record CaptureFilter(int vsid, int address, int protocol) {

  public static final CaptureFilter ALL = new CaptureFilter(0, 0, -1);

  private static final int ETHER_IPV4 = 0x0800;

  /** Whether to keep a frame from a vNIC port (Ethernet). */
  public boolean matchesEthernet(byte[] b, int off, int len) {
    return matchesInner(b, off, len);
  }

  /** Whether to keep an underlay packet (outer IPv4 carrying NVGRE or VXLAN). */
  public boolean matchesUnderlay(byte[] b, int off, int len) {
    if (len < 20 || (b[off] >> 4 & 0xF) != 4) {
      return vsid == 0 && address == 0 && protocol < 0;
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
      return vsid == 0 && address == 0 && protocol < 0;
    }
    if (vsid != 0 && packetVsid != vsid) {
      return false;
    }
    return matchesInner(b, inner, end - inner);
  }

  /**
   * The same filter for a vNIC's Ethernet frames as a libpcap expression, compiled to BPF and run
   * in the kernel on the tap: IPv4 only once an address or protocol is asked for, as {@link
   * #matchesEthernet}; empty (everything) otherwise.
   */
  public String bpfForPort() {
    StringBuilder s = new StringBuilder();
    if (protocol >= 0) {
      s.append("ip proto ").append(protocol);
    }
    if (address != 0) {
      s.append(s.isEmpty() ? "" : " and ").append("ip host ").append(dotted(address));
    }
    return s.toString();
  }

  /**
   * The same filter for the underlay interface (Ethernet frames carrying the outer IPv4 packet) as
   * a libpcap expression: NVGRE (GRE with a key; VSID = key >> 8) or VXLAN (UDP 4789; VNI), then
   * the inner frame's IPv4 protocol and addresses at their offsets behind the encapsulation.
   * Without any field it keeps all encapsulated traffic (what the switch's underlay sees), not the
   * host's other traffic on that interface.
   */
  public String bpfForUnderlay() {
    String gre = "((ip[0] & 0xf) << 2)"; // the GRE header starts behind the outer IPv4 header
    StringBuilder nvgre = new StringBuilder("ip proto 47 and ip[" + gre + " : 2] & 0x2000 != 0");
    StringBuilder vxlan = new StringBuilder("ip and udp dst port 4789");
    if (vsid != 0) {
      nvgre.append(" and ip[" + gre + " + 4 : 4] & 0xffffff00 = ").append(hex(vsid << 8));
      vxlan.append(" and udp[12 : 4] & 0xffffff00 = ").append(hex(vsid << 8));
    }
    if (address != 0 || protocol >= 0) {
      // Inner Ethernet at GRE + 8 (NVGRE) or UDP + 16 (VXLAN); its IPv4 header 14 bytes later.
      nvgre.append(inner("ip", gre + " + 22"));
      vxlan.append(inner("udp", "30"));
    }
    return "(" + nvgre + ") or (" + vxlan + ")";
  }

  private String inner(String base, String ip) {
    StringBuilder s = new StringBuilder(" and " + base + "[" + ip + " - 2 : 2] = 0x0800");
    if (protocol >= 0) {
      s.append(" and " + base + "[" + ip + " + 9] = ").append(protocol);
    }
    if (address != 0) {
      String a = hex(address);
      s.append(" and (" + base + "[" + ip + " + 12 : 4] = " + a)
          .append(" or " + base + "[" + ip + " + 16 : 4] = " + a + ")");
    }
    return s.toString();
  }

  private static String hex(int v) {
    return "0x" + Integer.toHexString(v);
  }

  private static String dotted(int a) {
    return (a >>> 24) + "." + (a >>> 16 & 0xFF) + "." + (a >>> 8 & 0xFF) + "." + (a & 0xFF);
  }

  private boolean matchesInner(byte[] b, int eth, int len) {
    if (address == 0 && protocol < 0) {
      return true;
    }
    if (len < 34 || u16(b, eth + 12) != ETHER_IPV4) {
      return false;
    }
    int ip = eth + 14;
    if (protocol >= 0 && (b[ip + 9] & 0xFF) != protocol) {
      return false;
    }
    return address == 0 || (int) u32(b, ip + 12) == address || (int) u32(b, ip + 16) == address;
  }

  private static int u16(byte[] b, int o) {
    return (b[o] & 0xFF) << 8 | b[o + 1] & 0xFF;
  }

  private static long u32(byte[] b, int o) {
    return (long) u16(b, o) << 16 | u16(b, o + 2);
  }
}
