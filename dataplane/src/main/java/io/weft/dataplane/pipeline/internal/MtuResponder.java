package io.weft.dataplane.pipeline.internal;

import io.weft.dataplane.codec.Bytes;
import io.weft.dataplane.codec.Ethernet;
import io.weft.dataplane.codec.Icmpv4;
import io.weft.dataplane.codec.Icmpv6;
import io.weft.dataplane.codec.Ipv4;
import io.weft.dataplane.codec.Ipv6;
import io.weft.dataplane.codec.ParsedFrame;
import io.weft.dataplane.table.IpAddress;

/**
 * Path MTU answers from the distributed router to a VM whose packet does not fit the overlay MTU:
 * ICMP "fragmentation needed" (type 3 code 4, RFC 1191) for IPv4 with DF set, ICMPv6 "packet too
 * big" (type 2, RFC 4443) for IPv6, each carrying the MTU so the VM's stack lowers its path MTU and
 * retransmits, instead of the packet vanishing. Sent from the gateway of the VM's subnet (the
 * distributed router is the hop that cannot forward it). Written into the switch's reply buffer; no
 * allocation.
 */
public final class MtuResponder {

  public static final int ICMP_UNREACHABLE = 3;
  public static final int CODE_FRAGMENTATION_NEEDED = 4;
  public static final int ICMPV6_PACKET_TOO_BIG = 2;

  /** RFC 1812 4.3.2.3: the ICMP datagram stays within 576 bytes. */
  private static final int V4_MAX_DATAGRAM = 576;

  /** RFC 4443 2.4(c): the ICMPv6 packet stays within the minimum IPv6 MTU. */
  private static final int V6_MAX_PACKET = 1280;

  private MtuResponder() {}

  /** True when the IPv4 packet forbids fragmentation (DF). */
  public static boolean dontFragment(ParsedFrame f) {
    return (Bytes.u8(f.buffer, f.l3Offset + 6) & 0x40) != 0;
  }

  /**
   * Writes the ICMP "fragmentation needed" frame for the oversize IPv4 packet in {@code f}, sent by
   * the gateway of the VM's subnet; returns its length.
   */
  public static int fragmentationNeeded(CompiledTable t, int port, ParsedFrame f, byte[] out) {
    int quoted = Math.min(f.ipLength, V4_MAX_DATAGRAM - Ipv4.MIN_HEADER - Icmpv4.MIN_LENGTH);
    int ip = Ethernet.HEADER;
    int icmp = ip + Ipv4.MIN_HEADER;
    int icmpLen = Icmpv4.MIN_LENGTH + quoted;
    IpAddress gw = t.subnets[t.portSubnet[port]].gateway();
    int src = gw.v6() ? f.dstV4() : gw.v4Bits();
    Ethernet.writeHeader(out, 0, f.srcMac, t.gatewayMac[t.portSubnet[port]], Ethernet.TYPE_IPV4);
    Ipv4.writeHeader(out, ip, Ipv4.MIN_HEADER + icmpLen, 0, 64, Ipv4.PROTO_ICMP, src, f.srcV4());
    out[icmp] = (byte) ICMP_UNREACHABLE;
    out[icmp + 1] = (byte) CODE_FRAGMENTATION_NEEDED;
    Bytes.put16(out, icmp + 4, 0); // unused
    Bytes.put16(out, icmp + 6, t.overlayMtu); // next-hop MTU
    System.arraycopy(f.buffer, f.l3Offset, out, icmp + Icmpv4.MIN_LENGTH, quoted);
    Icmpv4.writeChecksum(out, icmp, icmpLen);
    return Ethernet.HEADER + Ipv4.MIN_HEADER + icmpLen;
  }

  /** Writes the ICMPv6 "packet too big" frame for the oversize IPv6 packet in {@code f}. */
  public static int packetTooBig(CompiledTable t, int port, ParsedFrame f, byte[] out) {
    int quoted = Math.min(f.ipLength, V6_MAX_PACKET - Ipv6.HEADER - Icmpv6.MIN_LENGTH);
    int ip = Ethernet.HEADER;
    int icmp = ip + Ipv6.HEADER;
    int icmpLen = Icmpv6.MIN_LENGTH + quoted;
    IpAddress gw = t.subnets[t.portSubnet[port]].gateway();
    long srcHi = gw.v6() ? gw.hi() : f.dstHi;
    long srcLo = gw.v6() ? gw.lo() : f.dstLo;
    Ethernet.writeHeader(out, 0, f.srcMac, t.gatewayMac[t.portSubnet[port]], Ethernet.TYPE_IPV6);
    Ipv6.writeHeader(out, ip, icmpLen, Ipv6.NEXT_ICMPV6, 64, srcHi, srcLo, f.srcHi, f.srcLo);
    out[icmp] = (byte) ICMPV6_PACKET_TOO_BIG;
    out[icmp + 1] = 0;
    Bytes.put32(out, icmp + 4, t.overlayMtu);
    System.arraycopy(f.buffer, f.l3Offset, out, icmp + Icmpv6.MIN_LENGTH, quoted);
    Icmpv6.writeChecksum(out, ip, icmp, icmpLen);
    return Ethernet.HEADER + Ipv6.HEADER + icmpLen;
  }
}
