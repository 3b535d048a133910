package io.weft.dataplane.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.testkit.SeededRandom;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Property-style round trips: random field values written and read back through every codec. */
class CodecRoundTripTest {

  private static final int ROUNDS = 500;
  private final Random random = SeededRandom.create("codec round trips");
  private final byte[] buf = new byte[2048];
  private final ParsedFrame f = new ParsedFrame();

  private long mac() {
    return random.nextLong() & 0xFEFF_FFFF_FFFFL; // unicast
  }

  @Test
  void arp() {
    for (int i = 0; i < ROUNDS; i++) {
      long sha = mac();
      long tha = mac();
      int spa = random.nextInt();
      int tpa = random.nextInt();
      int op = 1 + random.nextInt(2);
      int len = FrameWriter.arp(buf, 3, Ethernet.BROADCAST, op, sha, spa, tha, tpa);
      assertThat(FrameParser.parse(buf, 3, len, f)).isEqualTo(FrameParser.OK);
      assertThat(f.isArp()).isTrue();
      assertThat(f.srcMac).isEqualTo(sha);
      assertThat(Arp.op(buf, f.l3Offset)).isEqualTo(op);
      assertThat(Arp.senderMac(buf, f.l3Offset)).isEqualTo(sha);
      assertThat(Arp.senderIp(buf, f.l3Offset)).isEqualTo(spa);
      assertThat(Arp.targetMac(buf, f.l3Offset)).isEqualTo(tha);
      assertThat(Arp.targetIp(buf, f.l3Offset)).isEqualTo(tpa);
    }
  }

  @Test
  void ipv4IcmpEchoWithChecksumsAndTtlDecrement() {
    for (int i = 0; i < ROUNDS; i++) {
      long dst = mac();
      long src = mac();
      int sip = random.nextInt();
      int dip = random.nextInt();
      int id = random.nextInt(0x10000);
      int seq = random.nextInt(0x10000);
      int payload = random.nextInt(200);
      int len = FrameWriter.icmpEchoV4(buf, 0, dst, src, sip, dip, 8, id, seq, payload);
      assertThat(FrameParser.parse(buf, 0, len, f)).isEqualTo(FrameParser.OK);
      assertThat(f.ipVersion).isEqualTo(4);
      assertThat(f.dstMac).isEqualTo(dst);
      assertThat(f.srcV4()).isEqualTo(sip);
      assertThat(f.dstV4()).isEqualTo(dip);
      assertThat(f.isIcmpv4()).isTrue();
      assertThat(f.icmpType()).isEqualTo(Icmpv4.ECHO_REQUEST);
      assertThat(Icmpv4.echoId(buf, f.l4Offset)).isEqualTo(id);
      assertThat(Icmpv4.echoSequence(buf, f.l4Offset)).isEqualTo(seq);
      assertThat(Icmpv4.checksumValid(buf, f.l4Offset, f.l4Length)).isTrue();
      assertThat(Ipv4.checksumValid(buf, f.l3Offset)).isTrue();
      int ttl = 1 + random.nextInt(255);
      buf[f.l3Offset + 8] = (byte) ttl;
      Bytes.put16(buf, f.l3Offset + 10, 0);
      Bytes.put16(buf, f.l3Offset + 10, Checksum.compute(buf, f.l3Offset, 20));
      Ipv4.decrementTtl(buf, f.l3Offset);
      assertThat(Ipv4.ttl(buf, f.l3Offset)).isEqualTo(ttl - 1);
      assertThat(Ipv4.checksumValid(buf, f.l3Offset)).isTrue();
    }
  }

  @Test
  void vlanTagIsSkipped() {
    int len = FrameWriter.icmpEchoV4(buf, 4, 1, 2, 3, 4, 8, 5, 6, 10);
    // Insert an 802.1Q tag: move the header's MACs 4 bytes left.
    System.arraycopy(buf, 4, buf, 0, 12);
    Bytes.put16(buf, 12, Ethernet.TYPE_VLAN);
    Bytes.put16(buf, 14, 0x2000 | 42);
    assertThat(FrameParser.parse(buf, 0, len + 4, f)).isEqualTo(FrameParser.OK);
    assertThat(f.vlanId).isEqualTo(42);
    assertThat(f.etherType).isEqualTo(Ethernet.TYPE_IPV4);
    assertThat(f.dstV4()).isEqualTo(4);
  }

  @Test
  void ipv6NeighborSolicitationAndEcho() {
    for (int i = 0; i < ROUNDS; i++) {
      long src = mac();
      long sHi = 0xFE80_0000_0000_0000L;
      long sLo = random.nextLong();
      long tHi = random.nextLong();
      long tLo = random.nextLong();
      int len = FrameWriter.neighborSolicitation(buf, 0, src, sHi, sLo, tHi, tLo);
      assertThat(FrameParser.parse(buf, 0, len, f)).isEqualTo(FrameParser.OK);
      assertThat(f.isIcmpv6()).isTrue();
      assertThat(f.icmpType()).isEqualTo(Icmpv6.NEIGHBOR_SOLICITATION);
      assertThat(f.dstMac).isEqualTo(Ethernet.ipv6MulticastMac(Ipv6.solicitedNodeLo(tLo)));
      assertThat(Icmpv6.targetHi(buf, f.l4Offset)).isEqualTo(tHi);
      assertThat(Icmpv6.targetLo(buf, f.l4Offset)).isEqualTo(tLo);
      assertThat(Icmpv6.linkLayerOption(buf, f.l4Offset, f.l4Length, Icmpv6.OPT_SOURCE_LL))
          .isEqualTo(src);
      assertThat(Icmpv6.checksumValid(buf, f.l3Offset, f.l4Offset, f.l4Length)).isTrue();

      int payload = random.nextInt(100);
      len = FrameWriter.icmpEchoV6(buf, 0, 1, src, sHi, sLo, tHi, tLo, 128, 7, i, payload);
      assertThat(FrameParser.parse(buf, 0, len, f)).isEqualTo(FrameParser.OK);
      assertThat(f.srcLo).isEqualTo(sLo);
      assertThat(f.dstHi).isEqualTo(tHi);
      assertThat(f.ttl).isEqualTo(64);
      assertThat(Icmpv6.checksumValid(buf, f.l3Offset, f.l4Offset, f.l4Length)).isTrue();
    }
  }

  @Test
  void udpAndDhcpOptions() {
    for (int i = 0; i < ROUNDS; i++) {
      int xid = random.nextInt();
      long ch = mac();
      int yi = random.nextInt();
      int lease = random.nextInt(Integer.MAX_VALUE);
      int mtu = 576 + random.nextInt(8000);
      int[] dns = new int[random.nextInt(4)];
      for (int d = 0; d < dns.length; d++) {
        dns[d] = random.nextInt();
      }
      int o = FrameWriter.UDP_V4_PAYLOAD;
      int p = Dhcpv4.writeFixed(buf, o, Dhcpv4.OP_REPLY, xid, 0, 0, yi, 0, ch);
      p = Dhcpv4.putByteOption(buf, p, Dhcpv4.OPT_MESSAGE_TYPE, Dhcpv4.ACK);
      p = Dhcpv4.putIntOption(buf, p, Dhcpv4.OPT_LEASE_TIME, lease);
      p = Dhcpv4.putShortOption(buf, p, Dhcpv4.OPT_MTU, mtu);
      p = Dhcpv4.putAddressListOption(buf, p, Dhcpv4.OPT_DNS, dns);
      p = Dhcpv4.putEnd(buf, p);
      int len = FrameWriter.udpV4(buf, 0, Ethernet.BROADCAST, ch, 1, -1, 67, 68, p - o);
      assertThat(FrameParser.parse(buf, 0, len, f)).isEqualTo(FrameParser.OK);
      assertThat(f.isUdp()).isTrue();
      assertThat(f.srcPort).isEqualTo(67);
      assertThat(Udp.checksumValidV4(buf, f.l4Offset, f.l4Length, 1, -1)).isTrue();
      int d = f.l4Offset + Udp.HEADER;
      int dl = f.l4Length - Udp.HEADER;
      assertThat(Dhcpv4.valid(buf, d, dl)).isTrue();
      assertThat(Dhcpv4.xid(buf, d)).isEqualTo(xid);
      assertThat(Dhcpv4.yiaddr(buf, d)).isEqualTo(yi);
      assertThat(Dhcpv4.chaddr(buf, d)).isEqualTo(ch);
      assertThat(Dhcpv4.messageType(buf, d, dl)).isEqualTo(Dhcpv4.ACK);
      assertThat(Dhcpv4.addressOption(buf, d, dl, Dhcpv4.OPT_LEASE_TIME, 0)).isEqualTo(lease);
      int mtuAt = Dhcpv4.findOption(buf, d, dl, Dhcpv4.OPT_MTU);
      assertThat(Bytes.u16(buf, mtuAt)).isEqualTo(mtu);
      int dnsAt = Dhcpv4.findOption(buf, d, dl, Dhcpv4.OPT_DNS);
      if (dns.length == 0) {
        assertThat(dnsAt).isEqualTo(-1);
      } else {
        assertThat(Dhcpv4.optionLength(buf, dnsAt)).isEqualTo(4 * dns.length);
        assertThat(Bytes.i32(buf, dnsAt + 4 * (dns.length - 1))).isEqualTo(dns[dns.length - 1]);
      }
    }
  }

  @Test
  void nvgreAndVxlanHeaders() {
    for (int i = 0; i < ROUNDS; i++) {
      int vsid = 4096 + random.nextInt(0xFFFFFE - 4096);
      int flow = random.nextInt(256);
      Nvgre.write(buf, 5, vsid, flow);
      assertThat(Nvgre.valid(buf, 5, 8)).isTrue();
      assertThat(Bytes.i32(buf, 5) >>> 16).isEqualTo(0x2000);
      assertThat(Bytes.u16(buf, 7)).isEqualTo(0x6558);
      assertThat(Nvgre.vsid(buf, 5)).isEqualTo(vsid);
      assertThat(Nvgre.flowId(buf, 5)).isEqualTo(flow);
      assertThat(Bytes.i32(buf, 9)).isEqualTo(vsid << 8 | flow);
      Vxlan.write(buf, 5, vsid);
      assertThat(Vxlan.valid(buf, 5, 8)).isTrue();
      assertThat(Vxlan.vni(buf, 5)).isEqualTo(vsid);
      int port = Vxlan.sourcePort(random.nextInt());
      assertThat(port).isBetween(49152, 65535);
    }
  }
}
