package io.weft.dataplane.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.codec.FrameWriter;
import io.weft.dataplane.codec.Ipv4;
import io.weft.dataplane.codec.Nvgre;
import io.weft.dataplane.pipeline.MonotonicWallClock;
import io.weft.dataplane.table.IpAddress;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A bounded capture never exceeds its packets or bytes, and keeps only what its filter names. */
class BoundedCaptureTest {

  private static final MonotonicWallClock CLOCK = MonotonicWallClock.system();

  private static byte[] ping(String src, String dst) {
    byte[] b = new byte[200];
    int len =
        FrameWriter.icmpEchoV4(
            b,
            0,
            2L,
            4L,
            IpAddress.parse(src).v4Bits(),
            IpAddress.parse(dst).v4Bits(),
            8,
            1,
            1,
            32);
    return Arrays.copyOf(b, len);
  }

  private static byte[] nvgre(int vsid, byte[] inner) {
    byte[] p = new byte[20 + Nvgre.HEADER + inner.length];
    Ipv4.writeHeader(p, 0, p.length, 1, 64, Ipv4.PROTO_GRE, 0x0A000001, 0x0A000002);
    Nvgre.write(p, 20, vsid, 7);
    System.arraycopy(inner, 0, p, 20 + Nvgre.HEADER, inner.length);
    return p;
  }

  @Test
  void stopsAtThePacketCountAndKeepsOnlyTheFilteredVsidAndAddress() throws Exception {
    BoundedCapture c =
        new BoundedCapture(
            2, 65536, true, new CaptureFilter(5001, IpAddress.parse("10.0.0.7"), 1), CLOCK);
    c.frame(nvgre(5002, ping("10.0.0.7", "10.0.0.8")), 0, 20 + 8 + 74); // another VSID
    byte[] other = nvgre(5001, ping("10.0.0.9", "10.0.0.8")); // another address
    c.frame(other, 0, other.length);
    byte[] kept = nvgre(5001, ping("10.0.0.8", "10.0.0.7"));
    for (int i = 0; i < 5; i++) {
      c.frame(kept, 0, kept.length);
    }
    assertThat(c.await(Duration.ofSeconds(1))).isEqualTo(BoundedCapture.StoppedBy.PACKETS);
    assertThat(c.packets()).isEqualTo(2);
    assertThat(c.pcap())
        .hasSize(PcapWriter.FILE_HEADER + 2 * (PcapWriter.RECORD_HEADER + kept.length));
  }

  @Test
  void neverWritesBeyondItsByteCapAndStopsOnTimeWhenNothingComes() throws Exception {
    byte[] frame = ping("10.0.0.1", "10.0.0.2");
    int cap = PcapWriter.FILE_HEADER + 3 * (PcapWriter.RECORD_HEADER + frame.length) + 10;
    BoundedCapture c = new BoundedCapture(1000, cap, false, CaptureFilter.ALL, CLOCK);
    for (int i = 0; i < 10; i++) {
      c.frame(frame, 0, frame.length);
    }
    assertThat(c.stoppedBy()).isEqualTo(BoundedCapture.StoppedBy.BYTES);
    assertThat(c.packets()).isEqualTo(3);
    assertThat(c.pcap().length).isLessThanOrEqualTo(cap);

    BoundedCapture idle = new BoundedCapture(10, 4096, false, CaptureFilter.ALL, CLOCK);
    long t0 = System.nanoTime();
    assertThat(idle.await(Duration.ofMillis(200))).isEqualTo(BoundedCapture.StoppedBy.SECONDS);
    assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(Duration.ofMillis(190).toNanos());
    assertThat(idle.pcap()).hasSize(PcapWriter.FILE_HEADER);
  }
}
