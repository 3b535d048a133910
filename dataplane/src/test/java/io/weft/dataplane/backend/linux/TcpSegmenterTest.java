package io.weft.dataplane.backend.linux;

import static io.weft.dataplane.backend.linux.TcpFrames.ACK;
import static io.weft.dataplane.backend.linux.TcpFrames.CWR;
import static io.weft.dataplane.backend.linux.TcpFrames.FIN;
import static io.weft.dataplane.backend.linux.TcpFrames.PSH;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.codec.Bytes;
import io.weft.dataplane.codec.Ethernet;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A VM's TCP super-frame cut into the segments a NIC's TSO would have put on the wire. */
class TcpSegmenterTest {

  private static final int MSS = 1406; // overlay MTU 1458 minus IPv4 and a 32-byte TCP header
  private static final int IP = Ethernet.HEADER;
  private static final int TCP = IP + 20;

  private final byte[] out = new byte[70_000];
  private final TcpSegmenter segmenter = new TcpSegmenter(out);
  private final List<byte[]> segments = new ArrayList<>();
  private final TcpSegmenter.FrameSink sink =
      (port, b, off, len) -> segments.add(Arrays.copyOfRange(b, off, off + len));

  private int cut(byte[] superFrame, boolean v6, int overlayMtu) {
    return segmenter.segment(
        "p1",
        MemorySegment.ofArray(superFrame),
        0,
        superFrame.length,
        v6,
        v6 ? TcpFrames.V6_HEADERS - 32 : TCP,
        MSS,
        overlayMtu,
        sink);
  }

  @Test
  void anIpv4SuperFrameBecomesWireSizedSegmentsWithCorrectHeadersAndChecksums() {
    byte[] payload = TcpFrames.payload(42, 64_000);
    int seq = 0xFFFF_F000; // wraps during the frame
    byte[] superFrame = TcpFrames.v4(seq, ACK | PSH, payload, true);

    assertThat(cut(superFrame, false, 1458)).isEqualTo(46);

    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (int k = 0; k < segments.size(); k++) {
      byte[] s = segments.get(k);
      int n = s.length - TcpFrames.V4_HEADERS;
      assertThat(n).isEqualTo(k < 45 ? MSS : 64_000 - 45 * MSS);
      assertThat(Bytes.u16(s, IP + 2)).as("IPv4 total length").isEqualTo(s.length - IP);
      assertThat(s.length - IP).isLessThanOrEqualTo(1458);
      assertThat(Bytes.u16(s, IP + 4)).as("identification").isEqualTo(0x1234 + k);
      assertThat(Bytes.i32(s, TCP + 4)).as("sequence").isEqualTo(seq + k * MSS);
      assertThat(s[TCP + 13] & 0xFF).isEqualTo(k < 45 ? ACK : ACK | PSH);
      assertThat(TcpFrames.v4ChecksumsValid(s, 0, s.length)).as("segment " + k).isTrue();
      assertThat(Arrays.copyOfRange(s, 0, IP)).isEqualTo(Arrays.copyOfRange(superFrame, 0, IP));
      joined.write(s, TcpFrames.V4_HEADERS, n);
    }
    assertThat(joined.toByteArray()).isEqualTo(payload);
  }

  @Test
  void anIpv6SuperFrameIsCutWithPayloadLengthsAndChecksums() {
    byte[] payload = TcpFrames.payload(6, 10_000);
    // 40 + 32 + 1406: an overlay MTU of 1478 fits these segments exactly.
    assertThat(cut(TcpFrames.v6(1000, ACK, payload), true, 1478)).isEqualTo(8);

    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (byte[] s : segments) {
      assertThat(Bytes.u16(s, IP + 4)).as("payload length").isEqualTo(s.length - IP - 40);
      assertThat(TcpFrames.v6TcpChecksumValid(s, s.length)).isTrue();
      joined.write(s, TcpFrames.V6_HEADERS, s.length - TcpFrames.V6_HEADERS);
    }
    assertThat(joined.toByteArray()).isEqualTo(payload);
    assertThat(Bytes.i32(segments.get(7), IP + 40 + 4)).isEqualTo(1000 + 7 * MSS);
  }

  @Test
  void cwrStaysOnTheFirstSegmentAndFinOnTheLast() {
    cut(TcpFrames.v4(1, ACK | CWR | FIN, TcpFrames.payload(1, 3 * MSS), true), false, 1458);

    assertThat(segments).hasSize(3);
    assertThat(segments.get(0)[TCP + 13] & 0xFF).isEqualTo(ACK | CWR);
    assertThat(segments.get(1)[TCP + 13] & 0xFF).isEqualTo(ACK);
    assertThat(segments.get(2)[TCP + 13] & 0xFF).isEqualTo(ACK | FIN);
  }

  @Test
  void segmentsTooBigForTheOverlayGetOneAnswerPerSuperFrameNotOnePerSegment() {
    // The VM's interface MTU (1500) is above the overlay's (1200): the switch answers the first
    // segment with "fragmentation needed"; the other 9 would only repeat that answer.
    assertThat(cut(TcpFrames.v4(1, ACK, TcpFrames.payload(2, 10 * MSS), true), false, 1200))
        .isEqualTo(1);

    assertThat(segments).hasSize(1);
    assertThat(segmenter.tooBigDropped).isEqualTo(9);
  }

  @Test
  void headersThatDoNotDescribeATcpSuperFrameAreRefused() {
    byte[] udp = TcpFrames.v4(1, ACK, TcpFrames.payload(3, 4000), true);
    udp[IP + 9] = 17;
    assertThat(cut(udp, false, 1458)).isEqualTo(-1);

    byte[] v4 = TcpFrames.v4(1, ACK, TcpFrames.payload(3, 4000), true);
    assertThat(cut(v4, true, 1458)).as("IPv4 frame announced as IPv6").isEqualTo(-1);
    assertThat(cut(Arrays.copyOf(v4, 40), false, 1458)).as("truncated").isEqualTo(-1);
    assertThat(
            segmenter.segment(
                "p1", MemorySegment.ofArray(v4), 0, v4.length, false, TCP, 8, 1458, sink))
        .as("an MSS that would turn one read into 500 frames")
        .isEqualTo(-1);
    v4[TCP + 12] = 0x40; // data offset 16 bytes
    assertThat(cut(v4, false, 1458)).isEqualTo(-1);
    assertThat(segments).isEmpty();
  }

  @Test
  void aPartialChecksumIsCompletedAndOffsetsPastTheFrameAreRefused() {
    byte[] f = TcpFrames.v4(9, ACK, TcpFrames.payload(4, 333), true); // odd length
    assertThat(TcpFrames.v4ChecksumsValid(f, 0, f.length)).isFalse();

    assertThat(TcpSegmenter.completeChecksum(f, 0, f.length, TCP, 16)).isTrue();
    assertThat(TcpFrames.v4ChecksumsValid(f, 0, f.length)).isTrue();

    assertThat(TcpSegmenter.completeChecksum(f, 0, f.length, TCP, f.length)).isFalse();
    assertThat(TcpSegmenter.completeChecksum(f, 0, f.length, 2, 16)).isFalse();
  }
}
