package io.weft.dataplane.codec;

/**
 * Builds whole frames into a caller's buffer and returns their length: ARP, ICMP echo, UDP,
 * neighbour solicitation. Used by simulated VMs, probes and tests; the switch builds its replies
 * with the same calls. Buffers must be large enough (a 1514-byte buffer fits all of these).
 */
public final class FrameWriter {

  private FrameWriter() {}

  public static int arp(
      byte[] b,
      int o,
      long ethDst,
      int op,
      long senderMac,
      int senderIp,
      long targetMac,
      int targetIp) {
    Ethernet.writeHeader(b, o, ethDst, senderMac, Ethernet.TYPE_ARP);
    Arp.write(b, o + Ethernet.HEADER, op, senderMac, senderIp, targetMac, targetIp);
    return Ethernet.HEADER + Arp.LENGTH;
  }

  /** An ICMPv4 echo request or reply with {@code payload} bytes of a counting pattern. */
  public static int icmpEchoV4(
      byte[] b,
      int o,
      long dstMac,
      long srcMac,
      int srcIp,
      int dstIp,
      int type,
      int id,
      int sequence,
      int payload) {
    int ip = o + Ethernet.HEADER;
    int icmp = ip + Ipv4.MIN_HEADER;
    int icmpLen = Icmpv4.MIN_LENGTH + payload;
    Ethernet.writeHeader(b, o, dstMac, srcMac, Ethernet.TYPE_IPV4);
    Ipv4.writeHeader(b, ip, Ipv4.MIN_HEADER + icmpLen, id, 64, Ipv4.PROTO_ICMP, srcIp, dstIp);
    Icmpv4.writeEcho(b, icmp, type, id, sequence);
    for (int i = 0; i < payload; i++) {
      b[icmp + Icmpv4.MIN_LENGTH + i] = (byte) i;
    }
    Icmpv4.writeChecksum(b, icmp, icmpLen);
    return Ethernet.HEADER + Ipv4.MIN_HEADER + icmpLen;
  }

  /**
   * Ethernet + IPv4 + UDP headers around {@code payloadLength} bytes the caller has already written
   * at {@code o + 42}; fills the UDP checksum.
   */
  public static int udpV4(
      byte[] b,
      int o,
      long dstMac,
      long srcMac,
      int srcIp,
      int dstIp,
      int srcPort,
      int dstPort,
      int payloadLength) {
    int ip = o + Ethernet.HEADER;
    int udp = ip + Ipv4.MIN_HEADER;
    int udpLen = Udp.HEADER + payloadLength;
    Ethernet.writeHeader(b, o, dstMac, srcMac, Ethernet.TYPE_IPV4);
    Ipv4.writeHeader(b, ip, Ipv4.MIN_HEADER + udpLen, 0, 64, Ipv4.PROTO_UDP, srcIp, dstIp);
    Udp.writeHeader(b, udp, srcPort, dstPort, udpLen);
    Udp.writeChecksumV4(b, udp, udpLen, srcIp, dstIp);
    return Ethernet.HEADER + Ipv4.MIN_HEADER + udpLen;
  }

  /** Offset of a UDP payload in a frame built by {@link #udpV4}. */
  public static final int UDP_V4_PAYLOAD = Ethernet.HEADER + Ipv4.MIN_HEADER + Udp.HEADER;

  /** A neighbour solicitation for {@code target} sent to its solicited-node group. */
  public static int neighborSolicitation(
      byte[] b, int o, long srcMac, long srcHi, long srcLo, long targetHi, long targetLo) {
    long groupLo = Ipv6.solicitedNodeLo(targetLo);
    int ip = o + Ethernet.HEADER;
    int icmp = ip + Ipv6.HEADER;
    Ethernet.writeHeader(b, o, Ethernet.ipv6MulticastMac(groupLo), srcMac, Ethernet.TYPE_IPV6);
    Ipv6.writeHeader(
        b, ip, 32, Ipv6.NEXT_ICMPV6, 255, srcHi, srcLo, Ipv6.SOLICITED_NODE_HI, groupLo);
    Icmpv6.writeNeighborSolicitation(b, icmp, targetHi, targetLo, srcMac);
    Icmpv6.writeChecksum(b, ip, icmp, 32);
    return Ethernet.HEADER + Ipv6.HEADER + 32;
  }

  /** An ICMPv6 echo request/reply with {@code payload} bytes. */
  public static int icmpEchoV6(
      byte[] b,
      int o,
      long dstMac,
      long srcMac,
      long srcHi,
      long srcLo,
      long dstHi,
      long dstLo,
      int type,
      int id,
      int sequence,
      int payload) {
    int ip = o + Ethernet.HEADER;
    int icmp = ip + Ipv6.HEADER;
    int icmpLen = 8 + payload;
    Ethernet.writeHeader(b, o, dstMac, srcMac, Ethernet.TYPE_IPV6);
    Ipv6.writeHeader(b, ip, icmpLen, Ipv6.NEXT_ICMPV6, 64, srcHi, srcLo, dstHi, dstLo);
    b[icmp] = (byte) type;
    b[icmp + 1] = 0;
    Bytes.put16(b, icmp + 4, id);
    Bytes.put16(b, icmp + 6, sequence);
    for (int i = 0; i < payload; i++) {
      b[icmp + 8 + i] = (byte) i;
    }
    Icmpv6.writeChecksum(b, ip, icmp, icmpLen);
    return Ethernet.HEADER + Ipv6.HEADER + icmpLen;
  }
}
