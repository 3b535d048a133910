package io.weft.dataplane.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.testkit.SeededRandom;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Truncated, bit-flipped and random frames never make a decoder throw. */
class MalformedInputTest {

  private final Random random = SeededRandom.create("malformed input");
  private final ParsedFrame f = new ParsedFrame();

  /** Every reader a pipeline would run on a parsed frame; returns normally on any input. */
  static void decodeEverything(byte[] b, int off, int len, ParsedFrame f) {
    int status = FrameParser.parse(b, off, len, f);
    if (status != FrameParser.OK) {
      return;
    }
    if (f.isArp()) {
      Arp.op(b, f.l3Offset);
      Arp.targetIp(b, f.l3Offset);
    }
    if (f.isIcmpv6() && f.l4Length >= Icmpv6.ND_LENGTH) {
      Icmpv6.targetLo(b, f.l4Offset);
      Icmpv6.linkLayerOption(b, f.l4Offset, f.l4Length, Icmpv6.OPT_SOURCE_LL);
    }
    if (f.isUdp()) {
      int d = f.l4Offset + Udp.HEADER;
      int dl = f.l4Length - Udp.HEADER;
      if (Dhcpv4.valid(b, d, dl)) {
        Dhcpv4.messageType(b, d, dl);
        Dhcpv4.addressOption(b, d, dl, Dhcpv4.OPT_REQUESTED_IP, 0);
      }
      if (Vxlan.valid(b, d, dl)) {
        Vxlan.vni(b, d);
      }
    }
    if (f.ipVersion == 4
        && f.l4Protocol == Ipv4.PROTO_GRE
        && Nvgre.valid(b, f.l4Offset, f.l4Length)) {
      Nvgre.vsid(b, f.l4Offset);
    }
    FlowHash.of(f);
  }

  private byte[] validFrame(int kind) {
    byte[] b = new byte[600];
    int len =
        switch (kind) {
          case 0 -> FrameWriter.arp(b, 0, -1L >>> 16, 1, 2, 3, 0, 4);
          case 1 -> FrameWriter.icmpEchoV4(b, 0, 1, 2, 3, 4, 8, 1, 1, 32);
          case 2 -> FrameWriter.neighborSolicitation(b, 0, 2, 0xFE80L << 48, 1, 5, 6);
          case 3 -> {
            int p = Dhcpv4.writeFixed(b, FrameWriter.UDP_V4_PAYLOAD, 1, 9, 0, 0, 0, 0, 2);
            p = Dhcpv4.putByteOption(b, p, Dhcpv4.OPT_MESSAGE_TYPE, Dhcpv4.DISCOVER);
            p = Dhcpv4.putEnd(b, p);
            yield FrameWriter.udpV4(
                b, 0, -1L >>> 16, 2, 0, -1, 68, 67, p - FrameWriter.UDP_V4_PAYLOAD);
          }
          default -> FrameWriter.icmpEchoV6(b, 0, 1, 2, 3, 4, 5, 6, 128, 1, 1, 16);
        };
    byte[] out = new byte[len];
    System.arraycopy(b, 0, out, 0, len);
    return out;
  }

  @Test
  void everyTruncationOfValidFramesIsHandled() {
    for (int kind = 0; kind < 5; kind++) {
      byte[] b = validFrame(kind);
      assertThat(FrameParser.parse(b, 0, b.length, f)).isEqualTo(FrameParser.OK);
      for (int len = 0; len <= b.length; len++) {
        decodeEverything(b, 0, len, f);
      }
    }
  }

  @Test
  void bitFlipsAndRandomBytesAreHandled() {
    for (int i = 0; i < 20_000; i++) {
      byte[] b = validFrame(random.nextInt(5));
      int flips = 1 + random.nextInt(8);
      for (int k = 0; k < flips; k++) {
        b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
      }
      decodeEverything(b, 0, random.nextInt(b.length + 1), f);
      byte[] noise = new byte[random.nextInt(300)];
      random.nextBytes(noise);
      decodeEverything(noise, 0, noise.length, f);
    }
  }

  @Test
  void badBoundsAreRejected() {
    byte[] b = validFrame(1);
    assertThat(FrameParser.parse(b, 0, b.length + 1, f)).isEqualTo(FrameParser.TRUNCATED_ETHERNET);
    assertThat(FrameParser.parse(b, -1, 20, f)).isEqualTo(FrameParser.TRUNCATED_ETHERNET);
    assertThat(FrameParser.parse(null, 0, 20, f)).isEqualTo(FrameParser.TRUNCATED_ETHERNET);
    assertThat(FrameParser.parse(b, 10, Integer.MAX_VALUE, f))
        .isEqualTo(FrameParser.TRUNCATED_ETHERNET);
    b[14] = 0x46; // IHL 24 with total length still fine but options unread: still OK
    assertThat(FrameParser.parse(b, 0, b.length, f))
        .isIn(FrameParser.OK, FrameParser.BAD_TRANSPORT);
  }
}
