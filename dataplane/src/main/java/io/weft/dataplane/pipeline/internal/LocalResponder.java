package io.weft.dataplane.pipeline.internal;

import io.weft.dataplane.codec.Arp;
import io.weft.dataplane.codec.Bytes;
import io.weft.dataplane.codec.Ethernet;
import io.weft.dataplane.codec.FrameWriter;
import io.weft.dataplane.codec.Icmpv4;
import io.weft.dataplane.codec.Icmpv6;
import io.weft.dataplane.codec.Ipv4;
import io.weft.dataplane.codec.Ipv6;
import io.weft.dataplane.codec.ParsedFrame;
import io.weft.dataplane.table.IpAddress;

/**
 * Answers on behalf of the network so nothing is flooded: ARP and neighbour solicitations from the
 * lookup records (the gateway answered on every host), and pings to the gateway. Each method writes
 * the reply at offset 0 of {@code out} and returns its length, or 0 when there is no answer.
 */
public final class LocalResponder {

  private LocalResponder() {}

  /** The MAC that owns {@code ip} in the port's VSID (gateway or record), or -1. */
  private static long ownerV4(CompiledTable t, int port, int ip) {
    int subnet = t.portSubnet[port];
    if (ip != 0 && ip == t.gatewayV4(subnet)) {
      return t.gatewayMac[subnet];
    }
    int r = t.recordByIp4(t.subnetVsid[subnet], ip);
    return r < 0 ? -1 : t.recordMac[r];
  }

  public static int arpReply(CompiledTable t, int port, ParsedFrame f, byte[] out) {
    byte[] b = f.buffer;
    int a = f.l3Offset;
    int target = Arp.targetIp(b, a);
    long mac = ownerV4(t, port, target);
    if (mac < 0 || mac == t.portMac[port]) {
      return 0; // unknown address, or the VM probing its own address (duplicate detection)
    }
    return FrameWriter.arp(
        out, 0, f.srcMac, Arp.OP_REPLY, mac, target, Arp.senderMac(b, a), Arp.senderIp(b, a));
  }

  /** Neighbour advertisement for the target of an NS, or 0. */
  public static int neighborAdvertisement(CompiledTable t, int port, ParsedFrame f, byte[] out) {
    byte[] b = f.buffer;
    long tHi = Icmpv6.targetHi(b, f.l4Offset);
    long tLo = Icmpv6.targetLo(b, f.l4Offset);
    int subnet = t.portSubnet[port];
    IpAddress gw = t.subnets[subnet].gateway();
    long mac;
    int flags = Icmpv6.NA_FLAG_SOLICITED | Icmpv6.NA_FLAG_OVERRIDE;
    if (gw.v6() && gw.hi() == tHi && gw.lo() == tLo) {
      mac = t.gatewayMac[subnet];
      flags |= Icmpv6.NA_FLAG_ROUTER;
    } else {
      int r = t.recordByIp6(t.subnetVsid[subnet], tHi, tLo);
      if (r < 0 || t.recordMac[r] == t.portMac[port]) {
        return 0;
      }
      mac = t.recordMac[r];
    }
    long dHi = f.srcHi;
    long dLo = f.srcLo;
    if (dHi == 0 && dLo == 0) { // DAD probe from "::": answer to all-nodes, not solicited
      dHi = 0xFF02_0000_0000_0000L;
      dLo = 1;
      flags &= ~Icmpv6.NA_FLAG_SOLICITED;
    }
    int ip = Ethernet.HEADER;
    int icmp = ip + Ipv6.HEADER;
    Ethernet.writeHeader(out, 0, f.srcMac, mac, Ethernet.TYPE_IPV6);
    Ipv6.writeHeader(out, ip, Icmpv6.NA_WITH_OPTION, Ipv6.NEXT_ICMPV6, 255, tHi, tLo, dHi, dLo);
    Icmpv6.writeNeighborAdvertisement(out, icmp, flags, tHi, tLo, mac);
    Icmpv6.writeChecksum(out, ip, icmp, Icmpv6.NA_WITH_OPTION);
    return Ethernet.HEADER + Ipv6.HEADER + Icmpv6.NA_WITH_OPTION;
  }

  /** True when the frame is an echo request to the port's gateway address. */
  public static boolean isPingToGateway(CompiledTable t, int port, ParsedFrame f) {
    IpAddress gw = t.subnets[t.portSubnet[port]].gateway();
    if (f.ipVersion == 4) {
      return f.isIcmpv4()
          && f.icmpType() == Icmpv4.ECHO_REQUEST
          && !gw.v6()
          && f.dstV4() == gw.v4Bits();
    }
    return f.isIcmpv6()
        && f.icmpType() == Icmpv6.ECHO_REQUEST
        && gw.v6()
        && f.dstHi == gw.hi()
        && f.dstLo == gw.lo();
  }

  /** The echo reply from the gateway: the request with addresses swapped. */
  public static int echoReply(ParsedFrame f, byte[] out) {
    int frameLen = f.l3Offset - f.offset + f.ipLength;
    System.arraycopy(f.buffer, f.offset, out, 0, frameLen);
    Bytes.put48(out, Ethernet.DST, f.srcMac);
    Bytes.put48(out, Ethernet.SRC, f.dstMac);
    int ip = f.l3Offset - f.offset;
    int icmp = f.l4Offset - f.offset;
    if (f.ipVersion == 4) {
      Ipv4.writeHeader(
          out, ip, f.ipLength, 0, 64, Ipv4.PROTO_ICMP, f.dstV4(), f.srcV4()); // drops IP options
      int icmpLen = f.ipLength - Ipv4.headerLength(f.buffer, f.l3Offset);
      System.arraycopy(f.buffer, f.l4Offset, out, ip + Ipv4.MIN_HEADER, icmpLen);
      out[ip + Ipv4.MIN_HEADER] = (byte) Icmpv4.ECHO_REPLY;
      Icmpv4.writeChecksum(out, ip + Ipv4.MIN_HEADER, icmpLen);
      return ip + Ipv4.MIN_HEADER + icmpLen;
    }
    Ipv6.writeHeader(out, ip, f.l4Length, Ipv6.NEXT_ICMPV6, 64, f.dstHi, f.dstLo, f.srcHi, f.srcLo);
    System.arraycopy(f.buffer, f.l4Offset, out, ip + Ipv6.HEADER, f.l4Length);
    out[ip + Ipv6.HEADER] = (byte) Icmpv6.ECHO_REPLY;
    Icmpv6.writeChecksum(out, ip, ip + Ipv6.HEADER, f.l4Length);
    return ip + Ipv6.HEADER + f.l4Length;
  }
}
