package io.weft.diagnostics.trace;

import io.weft.dataplane.codec.Arp;
import io.weft.dataplane.codec.Bytes;
import io.weft.dataplane.codec.Checksum;
import io.weft.dataplane.codec.Ethernet;
import io.weft.dataplane.codec.FrameWriter;
import io.weft.dataplane.codec.Icmpv4;
import io.weft.dataplane.codec.Icmpv6;
import io.weft.dataplane.codec.Ipv4;
import io.weft.dataplane.codec.Ipv6;
import io.weft.dataplane.codec.Udp;
import io.weft.dataplane.table.IpAddress;
import io.weft.diagnostics.trace.TracedPacket.Protocol;

/**
 * The frames a VM would send for a trace: the request for the next hop's MAC (ARP for IPv4, a
 * neighbour solicitation for IPv6), the packet itself, its reply.
 */
final class Frames {

  static final int PROBE_ID = 0x7eef;
  static final int SOURCE_PORT = 49152;
  private static final int TCP_HEADER = 20;

  private Frames() {}

  /** ARP (IPv4) or neighbour solicitation (IPv6) for {@code target} from {@code src}. */
  static byte[] resolve(long srcMac, IpAddress src, IpAddress target) {
    byte[] b = new byte[Ethernet.HEADER + Ipv6.HEADER + Icmpv6.NA_WITH_OPTION];
    int len =
        target.v6()
            ? FrameWriter.neighborSolicitation(
                b, 0, srcMac, src.hi(), src.lo(), target.hi(), target.lo())
            : FrameWriter.arp(
                b, 0, Ethernet.BROADCAST, Arp.OP_REQUEST, srcMac, src.v4Bits(), 0, target.v4Bits());
    return java.util.Arrays.copyOf(b, len);
  }

  /** The MAC an ARP reply or a neighbour advertisement (its target link-layer option) announces. */
  static long resolvedMac(byte[] reply) {
    if (Bytes.u16(reply, Ethernet.TYPE) == Ethernet.TYPE_IPV6) {
      int icmp = Ethernet.HEADER + Ipv6.HEADER;
      return Icmpv6.linkLayerOption(reply, icmp, reply.length - icmp, Icmpv6.OPT_TARGET_LL);
    }
    return Arp.senderMac(reply, Ethernet.HEADER);
  }

  /**
   * The request ({@code reply == false}) or the destination's answer: ICMP echo / echo reply, TCP
   * SYN / SYN-ACK, UDP there and back, over IPv4 or IPv6 as the addresses are; {@code size} bytes
   * of IP packet.
   */
  static byte[] packet(
      Protocol protocol,
      boolean reply,
      long dstMac,
      long srcMac,
      IpAddress src,
      IpAddress dst,
      int port,
      int size) {
    byte[] b = new byte[Ethernet.HEADER + size];
    int from = reply ? port : SOURCE_PORT;
    int to = reply ? SOURCE_PORT : port;
    if (dst.v6()) {
      int ip = Ethernet.HEADER;
      int l4 = ip + Ipv6.HEADER;
      int l4Length = size - Ipv6.HEADER;
      if (protocol == Protocol.ICMP) {
        int type = reply ? Icmpv6.ECHO_REPLY : Icmpv6.ECHO_REQUEST;
        FrameWriter.icmpEchoV6(
            b,
            0,
            dstMac,
            srcMac,
            src.hi(),
            src.lo(),
            dst.hi(),
            dst.lo(),
            type,
            PROBE_ID,
            1,
            l4Length - Icmpv6.MIN_LENGTH);
        return b;
      }
      int next = protocol == Protocol.TCP ? Ipv4.PROTO_TCP : Ipv4.PROTO_UDP;
      Ethernet.writeHeader(b, 0, dstMac, srcMac, Ethernet.TYPE_IPV6);
      Ipv6.writeHeader(b, ip, l4Length, next, 64, src.hi(), src.lo(), dst.hi(), dst.lo());
      if (protocol == Protocol.TCP) {
        tcpHeader(b, l4, reply, port);
      } else {
        Udp.writeHeader(b, l4, from, to, l4Length);
      }
      int checksum = protocol == Protocol.TCP ? l4 + 16 : l4 + 6;
      long sum = Checksum.pseudoV6(b, ip, next, l4Length);
      Bytes.put16(b, checksum, Checksum.finish(Checksum.sum(b, l4, l4Length, sum)));
      return b;
    }
    int srcIp = src.v4Bits();
    int dstIp = dst.v4Bits();
    switch (protocol) {
      case ICMP -> {
        int type = reply ? Icmpv4.ECHO_REPLY : Icmpv4.ECHO_REQUEST;
        FrameWriter.icmpEchoV4(b, 0, dstMac, srcMac, srcIp, dstIp, type, PROBE_ID, 1, size - 28);
      }
      case UDP -> FrameWriter.udpV4(b, 0, dstMac, srcMac, srcIp, dstIp, from, to, size - 28);
      case TCP -> {
        int ip = Ethernet.HEADER;
        int tcp = ip + Ipv4.MIN_HEADER;
        int tcpLength = size - Ipv4.MIN_HEADER;
        Ethernet.writeHeader(b, 0, dstMac, srcMac, Ethernet.TYPE_IPV4);
        Ipv4.writeHeader(b, ip, size, PROBE_ID, 64, Ipv4.PROTO_TCP, srcIp, dstIp);
        tcpHeader(b, tcp, reply, port);
        long sum = Checksum.pseudoV4(srcIp, dstIp, Ipv4.PROTO_TCP, tcpLength);
        Bytes.put16(b, tcp + 16, Checksum.finish(Checksum.sum(b, tcp, tcpLength, sum)));
      }
    }
    return b;
  }

  /** A SYN to {@code port}, or its SYN-ACK; the checksum is left to the caller. */
  private static void tcpHeader(byte[] b, int tcp, boolean reply, int port) {
    Bytes.put16(b, tcp, reply ? port : SOURCE_PORT);
    Bytes.put16(b, tcp + 2, reply ? SOURCE_PORT : port);
    Bytes.put32(b, tcp + 4, reply ? 0x2000 : 0x1000);
    Bytes.put32(b, tcp + 8, reply ? 0x1001 : 0);
    b[tcp + 12] = (byte) ((TCP_HEADER / 4) << 4);
    b[tcp + 13] = (byte) (reply ? 0x12 : 0x02); // SYN-ACK : SYN
    Bytes.put16(b, tcp + 14, 64240);
  }
}
