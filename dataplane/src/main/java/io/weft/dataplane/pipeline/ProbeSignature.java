package io.weft.dataplane.pipeline;

import io.weft.dataplane.codec.Bytes;
import io.weft.dataplane.codec.Ethernet;
import io.weft.dataplane.codec.FrameWriter;
import io.weft.dataplane.codec.Icmpv4;
import io.weft.dataplane.codec.Icmpv6;
import io.weft.dataplane.codec.Ipv4;
import io.weft.dataplane.codec.Ipv6;
import io.weft.dataplane.codec.Nvgre;
import io.weft.dataplane.codec.Udp;
import io.weft.dataplane.codec.Vxlan;
import io.weft.dataplane.table.IpAddress;

/**
 * How a live probe is recognised on every host it crosses: an ICMP echo over IPv4, or an ICMPv6
 * echo over IPv6 (request, or the destination VM's reply, which echoes the payload), whose payload
 * starts with {@link #MAGIC} and the probe's 64-bit nonce. An IPv6 probe carries no extension
 * header (the ICMPv6 header follows the fixed one), so the tag sits at a fixed offset in both. The
 * encapsulation is left exactly as for any packet (no NVGRE or VXLAN field is borrowed), so a probe
 * travels the very path the VM's traffic takes. Reading it costs a few byte reads and no
 * allocation; switches look only while a probe is being watched.
 */
public final class ProbeSignature {

  /** "WEFTPRB1" in ASCII. */
  public static final long MAGIC = 0x5745465450524231L;

  /** Payload bytes of a probe echo: magic, nonce, then padding to a default ping's 56. */
  public static final int PAYLOAD = 56;

  private ProbeSignature() {}

  /** The probe nonce carried by an Ethernet frame, or 0 if it is not a probe. */
  public static long inFrame(byte[] b, int off, int len) {
    if (b == null || off < 0 || len < Ethernet.HEADER + Ipv4.MIN_HEADER + 24) {
      return 0;
    }
    if (off + len > b.length) {
      return 0;
    }
    int icmp = icmp(b, off, len);
    if (icmp < 0 || icmp + Icmpv4.MIN_LENGTH + 16 > off + len) {
      return 0;
    }
    int type = Bytes.u8(b, icmp);
    boolean echo =
        Bytes.u16(b, off + Ethernet.TYPE) == Ethernet.TYPE_IPV4
            ? type == Icmpv4.ECHO_REQUEST || type == Icmpv4.ECHO_REPLY
            : type == Icmpv6.ECHO_REQUEST || type == Icmpv6.ECHO_REPLY;
    if (!echo) {
      return 0;
    }
    int payload = icmp + Icmpv4.MIN_LENGTH;
    return Bytes.i64(b, payload) == MAGIC ? Bytes.i64(b, payload + 8) : 0;
  }

  /** Where the ICMP (IPv4) or ICMPv6 (IPv6, no extension header) message starts, or -1. */
  private static int icmp(byte[] b, int off, int len) {
    int ip = off + Ethernet.HEADER;
    int type = Bytes.u16(b, off + Ethernet.TYPE);
    if (type == Ethernet.TYPE_IPV4) {
      return Ipv4.version(b, ip) == 4 && Ipv4.protocol(b, ip) == Ipv4.PROTO_ICMP
          ? ip + Ipv4.headerLength(b, ip)
          : -1;
    }
    if (type == Ethernet.TYPE_IPV6 && len >= Ethernet.HEADER + Ipv6.HEADER) {
      return Ipv6.version(b, ip) == 6 && Ipv6.nextHeader(b, ip) == Ipv6.NEXT_ICMPV6
          ? ip + Ipv6.HEADER
          : -1;
    }
    return -1;
  }

  /** The probe nonce inside an encapsulated packet from the underlay, or 0. */
  public static long inUnderlay(byte[] b, int off, int len) {
    int inner = innerFrame(b, off, len);
    return inner < 0 ? 0 : inFrame(b, inner, off + len - inner);
  }

  /** Where the inner Ethernet frame of an NVGRE or VXLAN packet starts, or -1. */
  public static int innerFrame(byte[] b, int off, int len) {
    if (b == null || off < 0 || len < Ipv4.MIN_HEADER || off + len > b.length) {
      return -1;
    }
    int l4 = off + Ipv4.headerLength(b, off);
    int protocol = Ipv4.protocol(b, off);
    int inner;
    if (protocol == Ipv4.PROTO_GRE) {
      inner = l4 + Nvgre.HEADER;
    } else if (protocol == Ipv4.PROTO_UDP
        && l4 + Udp.HEADER <= off + len
        && Udp.dstPort(b, l4) == Udp.PORT_VXLAN) {
      inner = l4 + Udp.HEADER + Vxlan.HEADER;
    } else {
      return -1;
    }
    return inner < off + len ? inner : -1;
  }

  /** Whether the probe frame (one {@link #inFrame} recognised) is the reply. */
  public static boolean isReply(byte[] frame, int off) {
    int type = Bytes.u8(frame, icmp(frame, off, frame.length - off));
    return type == Icmpv4.ECHO_REPLY || type == Icmpv6.ECHO_REPLY;
  }

  /** The echo sequence number of a probe frame (the same place in ICMP and ICMPv6). */
  public static int sequence(byte[] frame, int off) {
    return Icmpv4.echoSequence(frame, icmp(frame, off, frame.length - off));
  }

  /** Writes a probe echo request into {@code b} at 0 and returns its length. */
  public static int writeRequest(
      byte[] b, long dstMac, long srcMac, int srcIp, int dstIp, long nonce, int sequence) {
    return writeRequest(b, dstMac, srcMac, srcIp, dstIp, nonce, sequence, PAYLOAD);
  }

  /**
   * {@link #writeRequest(byte[], long, long, int, int, long, int)} with {@code payload} bytes of
   * ICMP data (at least the 16 of the tag; the IP packet is 28 bytes more).
   */
  public static int writeRequest(
      byte[] b,
      long dstMac,
      long srcMac,
      int srcIp,
      int dstIp,
      long nonce,
      int sequence,
      int payload) {
    int len =
        FrameWriter.icmpEchoV4(
            b,
            0,
            dstMac,
            srcMac,
            srcIp,
            dstIp,
            Icmpv4.ECHO_REQUEST,
            (int) (nonce & 0xFFFF),
            sequence,
            payload);
    int icmp = Ethernet.HEADER + Ipv4.MIN_HEADER;
    Bytes.put64(b, icmp + Icmpv4.MIN_LENGTH, MAGIC);
    Bytes.put64(b, icmp + Icmpv4.MIN_LENGTH + 8, nonce);
    Icmpv4.writeChecksum(b, icmp, Icmpv4.MIN_LENGTH + payload);
    return len;
  }

  /**
   * Writes an IPv6 probe: an ICMPv6 echo request with {@code payload} bytes of data (at least the
   * 16 of the tag; the IP packet is 48 bytes more) into {@code b} at 0; returns its length.
   */
  public static int writeRequestV6(
      byte[] b,
      long dstMac,
      long srcMac,
      IpAddress src,
      IpAddress dst,
      long nonce,
      int sequence,
      int payload) {
    int len =
        FrameWriter.icmpEchoV6(
            b,
            0,
            dstMac,
            srcMac,
            src.hi(),
            src.lo(),
            dst.hi(),
            dst.lo(),
            Icmpv6.ECHO_REQUEST,
            (int) (nonce & 0xFFFF),
            sequence,
            payload);
    int ip = Ethernet.HEADER;
    int icmp = ip + Ipv6.HEADER;
    Bytes.put64(b, icmp + Icmpv6.MIN_LENGTH, MAGIC);
    Bytes.put64(b, icmp + Icmpv6.MIN_LENGTH + 8, nonce);
    Icmpv6.writeChecksum(b, ip, icmp, Icmpv6.MIN_LENGTH + payload);
    return len;
  }
}
