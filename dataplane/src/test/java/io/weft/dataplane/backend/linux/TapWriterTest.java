package io.weft.dataplane.backend.linux;

import static io.weft.dataplane.backend.linux.TcpFrames.ACK;
import static io.weft.dataplane.backend.linux.TcpFrames.PSH;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.codec.Bytes;
import io.weft.dataplane.codec.Ethernet;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What reaches a VM's tap when the switch delivers TCP segments back to back: one super-frame per
 * run (as a NIC's GRO makes), whose completed checksum is right, and everything else unjoined and
 * in order.
 */
class TapWriterTest {

  private static final int MSS = 1406;
  private static final int IP = Ethernet.HEADER;
  private static final int TCP = IP + 20;

  /** One write(2): the tap's fd and the bytes (a virtio_net_hdr first, with offloads). */
  private record Write(int fd, byte[] bytes) {
    int flags() {
      return bytes[0] & 0xFF;
    }

    int gsoType() {
      return bytes[1] & 0xFF;
    }

    int le16(int o) {
      return (bytes[o] & 0xFF) | (bytes[o + 1] & 0xFF) << 8;
    }

    byte[] frame() {
      return Arrays.copyOfRange(bytes, VnetHeader.SIZE, bytes.length);
    }
  }

  private final Arena arena = Arena.ofConfined();
  private final List<Write> writes = new ArrayList<>();
  private final TapWriter writer =
      new TapWriter(
          arena,
          14 + 65_535,
          (fd, buffer, count) -> {
            writes.add(new Write(fd, buffer.asSlice(0, count).toArray(ValueLayout.JAVA_BYTE)));
            return count;
          });

  @AfterEach
  void close() {
    arena.close();
  }

  /** The segments of one super-frame of {@code payload} at {@code seq}, as the switch delivers. */
  private static List<byte[]> segments(int seq, byte[] payload) {
    List<byte[]> out = new ArrayList<>();
    new TcpSegmenter(new byte[70_000])
        .segment(
            "p",
            MemorySegment.ofArray(TcpFrames.v4(seq, ACK | PSH, payload, true)),
            0,
            TcpFrames.V4_HEADERS + payload.length,
            false,
            TCP,
            MSS,
            1458,
            (port, b, off, len) -> out.add(Arrays.copyOfRange(b, off, off + len)));
    return out;
  }

  private void deliver(int fd, List<byte[]> frames) {
    for (byte[] f : frames) {
      writer.write(fd, true, f, 0, f.length);
    }
  }

  /** Completes the checksum as the VM's kernel would (csum_start, csum_offset). */
  private static byte[] completed(Write w) {
    byte[] f = w.frame();
    TcpSegmenter.completeChecksum(f, 0, f.length, w.le16(6), w.le16(8));
    return f;
  }

  @Test
  void segmentsOfOneFlowReachTheVmAsOneSuperFrameWithTheirPayloadAndChecksum() {
    byte[] payload = TcpFrames.payload(7, 40_000);
    List<byte[]> segments = segments(5000, payload);
    deliver(3, segments);
    writer.flush();

    assertThat(writes).hasSize(1);
    Write w = writes.getFirst();
    assertThat(w.fd()).isEqualTo(3);
    assertThat(w.flags()).isEqualTo(VnetHeader.F_NEEDS_CSUM);
    assertThat(w.gsoType()).isEqualTo(VnetHeader.GSO_TCPV4);
    assertThat(w.le16(2)).as("header length").isEqualTo(TcpFrames.V4_HEADERS);
    assertThat(w.le16(4)).as("segment size").isEqualTo(MSS);
    assertThat(w.le16(6)).as("checksum start").isEqualTo(TCP);
    assertThat(w.le16(8)).as("checksum offset").isEqualTo(16);
    byte[] f = completed(w);
    assertThat(Bytes.u16(f, IP + 2)).isEqualTo(f.length - IP);
    assertThat(Bytes.i32(f, TCP + 4)).isEqualTo(5000);
    assertThat(f[TCP + 13] & 0xFF).as("PSH of the last segment").isEqualTo(ACK | PSH);
    assertThat(TcpFrames.v4ChecksumsValid(f, 0, f.length)).isTrue();
    assertThat(Arrays.copyOfRange(f, TcpFrames.V4_HEADERS, f.length)).isEqualTo(payload);
    assertThat(writer.superFrames).isEqualTo(1);
    assertThat(writer.joinedSegments).isEqualTo(segments.size());
  }

  @Test
  void ipv6SegmentsOfOneFlowReachTheVmAsOneTcpv6SuperFrame() {
    int mss6 = MSS - 20; // the same 1458-byte overlay MTU, a 40-byte IPv6 header
    int tcp6 = IP + 40;
    byte[] payload = TcpFrames.payload(9, 30_000);
    List<byte[]> segments = new ArrayList<>();
    new TcpSegmenter(new byte[70_000])
        .segment(
            "p",
            MemorySegment.ofArray(TcpFrames.v6(7000, ACK | PSH, payload)),
            0,
            TcpFrames.V6_HEADERS + payload.length,
            true,
            tcp6,
            mss6,
            1458,
            (port, b, off, len) -> segments.add(Arrays.copyOfRange(b, off, off + len)));
    assertThat(segments).hasSizeGreaterThan(1);
    deliver(4, segments);
    writer.flush();

    assertThat(writes).hasSize(1);
    Write w = writes.getFirst();
    assertThat(w.flags()).isEqualTo(VnetHeader.F_NEEDS_CSUM);
    assertThat(w.gsoType()).isEqualTo(VnetHeader.GSO_TCPV6);
    assertThat(w.le16(2)).as("header length").isEqualTo(TcpFrames.V6_HEADERS);
    assertThat(w.le16(4)).as("segment size").isEqualTo(mss6);
    assertThat(w.le16(6)).as("checksum start").isEqualTo(tcp6);
    assertThat(w.le16(8)).as("checksum offset").isEqualTo(16);
    byte[] f = completed(w);
    assertThat(Bytes.u16(f, IP + 4)).as("payload length").isEqualTo(f.length - tcp6);
    assertThat(Bytes.i32(f, tcp6 + 4)).isEqualTo(7000);
    assertThat(f[tcp6 + 13] & 0xFF).as("PSH of the last segment").isEqualTo(ACK | PSH);
    assertThat(TcpFrames.v6TcpChecksumValid(f, f.length)).isTrue();
    assertThat(Arrays.copyOfRange(f, TcpFrames.V6_HEADERS, f.length)).isEqualTo(payload);
    assertThat(writer.joinedSegments).isEqualTo(segments.size());

    // A segment of the IPv4 flow does not join an IPv6 run (nor the reverse).
    writes.clear();
    List<byte[]> v4 = segments(1, TcpFrames.payload(10, 3 * MSS));
    byte[] six = segments.getFirst();
    deliver(4, List.of(six, v4.getFirst(), v4.get(1)));
    writer.flush();
    assertThat(writes).hasSize(2);
    assertThat(writes.get(0).gsoType()).isEqualTo(VnetHeader.GSO_NONE);
    assertThat(writes.get(1).gsoType()).isEqualTo(VnetHeader.GSO_TCPV4);
  }

  @Test
  void aSuperFrameNeverExceedsAnIpPacketAndTheNextRunCarriesOn() {
    byte[] payload = TcpFrames.payload(8, 100 * MSS);
    List<byte[]> segments = segments(1, payload);
    for (byte[] s : segments) { // PSH only where the segmenter left it: on the last one
      writer.write(3, true, s, 0, s.length);
    }
    writer.flush();

    assertThat(writes).hasSizeGreaterThan(1);
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    int seq = 1;
    for (Write w : writes) {
      byte[] f = completed(w);
      assertThat(f.length - IP).isLessThanOrEqualTo(65_535);
      assertThat(Bytes.i32(f, TCP + 4)).isEqualTo(seq);
      assertThat(TcpFrames.v4ChecksumsValid(f, 0, f.length)).isTrue();
      joined.write(f, TcpFrames.V4_HEADERS, f.length - TcpFrames.V4_HEADERS);
      seq += f.length - TcpFrames.V4_HEADERS;
    }
    assertThat(joined.toByteArray()).isEqualTo(payload);
  }

  @Test
  void aSegmentWithABadChecksumIsNotJoinedAndReachesTheVmUnmarked() {
    List<byte[]> segments = segments(1, TcpFrames.payload(9, 6 * MSS));
    segments.get(3)[TcpFrames.V4_HEADERS + 100] ^= 1; // corrupted on the way

    deliver(3, segments);
    writer.flush();

    assertThat(writes).hasSize(3);
    assertThat(writes.get(0).gsoType()).isEqualTo(VnetHeader.GSO_TCPV4);
    assertThat(writes.get(1).flags()).as("the VM's stack checks it, and drops it").isZero();
    assertThat(writes.get(1).gsoType()).isEqualTo(VnetHeader.GSO_NONE);
    assertThat(writes.get(1).frame()).isEqualTo(segments.get(3));
    assertThat(completed(writes.get(2)).length)
        .isEqualTo(TcpFrames.V4_HEADERS + 2 * MSS); // segments 4 and 5
  }

  @Test
  void otherFramesBetweenSegmentsKeepTheirPlace() {
    List<byte[]> segments = segments(1, TcpFrames.payload(10, 3 * MSS));
    byte[] udp = TcpFrames.v4(0, ACK, TcpFrames.payload(11, 64), false);
    udp[IP + 9] = 17;

    deliver(3, segments.subList(0, 2));
    writer.write(3, true, udp, 0, udp.length);
    deliver(3, segments.subList(2, 3));
    writer.flush();

    assertThat(writes).hasSize(3);
    assertThat(writes.get(0).gsoType()).isEqualTo(VnetHeader.GSO_TCPV4);
    assertThat(writes.get(1).frame()).isEqualTo(udp);
    // A run of one goes out as it came, its checksums verified.
    assertThat(writes.get(2).flags()).isEqualTo(VnetHeader.F_DATA_VALID);
    assertThat(writes.get(2).frame()).isEqualTo(segments.get(2));
  }

  @Test
  void aGapInSequenceAnotherTapOrAnotherFlowEndsTheRun() {
    List<byte[]> s = segments(1, TcpFrames.payload(12, 6 * MSS));
    deliver(3, List.of(s.get(0), s.get(2))); // a gap: segment 1 was lost on the way
    deliver(4, List.of(s.get(3))); // another tap
    byte[] otherFlow = s.get(4).clone(); // the next sequence number, but another source port
    Bytes.put16(otherFlow, TCP, 40001);
    TcpFrames.refreshTcpChecksum(otherFlow);
    deliver(4, List.of(otherFlow));
    writer.flush();

    assertThat(writes).extracting(Write::fd).containsExactly(3, 3, 4, 4);
    assertThat(writes).allSatisfy(w -> assertThat(w.gsoType()).isEqualTo(VnetHeader.GSO_NONE));
    assertThat(writes.get(3).frame()).isEqualTo(otherFlow);
  }

  @Test
  void withoutOffloadsAFrameGoesOutAsItCame() {
    byte[] f = segments(1, TcpFrames.payload(13, 100)).getFirst();
    writer.write(5, false, f, 0, f.length);

    assertThat(writes).hasSize(1);
    assertThat(writes.getFirst().bytes()).isEqualTo(f);
  }
}
