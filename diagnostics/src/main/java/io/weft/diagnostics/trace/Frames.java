package io.weft.diagnostics.trace;

import io.weft.dataplane.codec.Arp;
import io.weft.dataplane.codec.Bytes;
import io.weft.dataplane.codec.Checksum;
import io.weft.dataplane.codec.Ethernet;
import io.weft.dataplane.codec.FrameWriter;
import io.weft.dataplane.codec.Icmpv4;
import io.weft.dataplane.codec.Ipv4;
import io.weft.diagnostics.trace.TracedPacket.Protocol;

/** The frames a VM would send for a trace: an ARP request, the packet itself, its reply. */
final class Frames {

  static final int PROBE_ID = 0x7eef;
  static final int SOURCE_PORT = 49152;
  private static final int TCP_HEADER = 20;

  private Frames() {}

  static byte[] arpRequest(long srcMac, int srcIp, int targetIp) {
    byte[] b = new byte[Ethernet.HEADER + Arp.LENGTH];
    FrameWriter.arp(b, 0, Ethernet.BROADCAST, Arp.OP_REQUEST, srcMac, srcIp, 0, targetIp);
    return b;
  }

  /** The MAC an ARP reply announces. */
  static long arpAnswer(byte[] reply) {
    return Arp.senderMac(reply, Ethernet.HEADER);
  }

  /**
   * The request ({@code reply == false}) or the destination's answer: ICMP echo / echo reply, TCP
   * SYN / SYN-ACK, UDP there and back; {@code size} bytes of IP packet.
   */
  static byte[] packet(
      Protocol protocol,
      boolean reply,
      long dstMac,
      long srcMac,
      int srcIp,
      int dstIp,
      int port,
      int size) {
    byte[] b = new byte[Ethernet.HEADER + size];
    switch (protocol) {
      case ICMP -> {
        int type = reply ? Icmpv4.ECHO_REPLY : Icmpv4.ECHO_REQUEST;
        FrameWriter.icmpEchoV4(b, 0, dstMac, srcMac, srcIp, dstIp, type, PROBE_ID, 1, size - 28);
      }
      case UDP -> {
        int from = reply ? port : SOURCE_PORT;
        int to = reply ? SOURCE_PORT : port;
        FrameWriter.udpV4(b, 0, dstMac, srcMac, srcIp, dstIp, from, to, size - 28);
      }
      case TCP -> tcp(b, reply, dstMac, srcMac, srcIp, dstIp, port, size);
    }
    return b;
  }

  private static void tcp(
      byte[] b, boolean reply, long dstMac, long srcMac, int srcIp, int dstIp, int port, int size) {
    int ip = Ethernet.HEADER;
    int tcp = ip + Ipv4.MIN_HEADER;
    int tcpLength = size - Ipv4.MIN_HEADER;
    Ethernet.writeHeader(b, 0, dstMac, srcMac, Ethernet.TYPE_IPV4);
    Ipv4.writeHeader(b, ip, size, PROBE_ID, 64, Ipv4.PROTO_TCP, srcIp, dstIp);
    Bytes.put16(b, tcp, reply ? port : SOURCE_PORT);
    Bytes.put16(b, tcp + 2, reply ? SOURCE_PORT : port);
    Bytes.put32(b, tcp + 4, reply ? 0x2000 : 0x1000);
    Bytes.put32(b, tcp + 8, reply ? 0x1001 : 0);
    b[tcp + 12] = (byte) ((TCP_HEADER / 4) << 4);
    b[tcp + 13] = (byte) (reply ? 0x12 : 0x02); // SYN-ACK : SYN
    Bytes.put16(b, tcp + 14, 64240);
    long sum = Checksum.pseudoV4(srcIp, dstIp, Ipv4.PROTO_TCP, tcpLength);
    Bytes.put16(b, tcp + 16, Checksum.finish(Checksum.sum(b, tcp, tcpLength, sum)));
  }
}
