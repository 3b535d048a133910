package io.weft.dataplane.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.pipeline.MonotonicWallClock;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PcapWriterTest {

  @Test
  void timestampsNeverStepBackwardsOnTheRealClocks() throws Exception {
    // The first writer added nanoTime's microseconds to currentTimeMillis per frame: whenever the
    // two clocks' sub-millisecond phases differed, a later frame got an earlier timestamp.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] frame = new byte[60];
    try (PcapWriter w = new PcapWriter(out, PcapWriter.ETHERNET, MonotonicWallClock.system())) {
      for (int i = 0; i < 200_000; i++) {
        w.frame(frame, 0, frame.length);
      }
    }
    long[] stamps = timestamps(out.toByteArray(), frame.length);
    assertThat(stamps).hasSize(200_000);
    for (int i = 1; i < stamps.length; i++) {
      assertThat(stamps[i]).as("frame %d", i).isGreaterThanOrEqualTo(stamps[i - 1]);
    }
  }

  @Test
  void wallTimeIsReadOnceAndAdvancedByTheMonotonicClock() throws Exception {
    AtomicLong nanos = new AtomicLong(5_000_000_000L);
    long start = 1_764_000_000_000_000L; // microseconds since the epoch
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] frame = new byte[14];
    try (PcapWriter w =
        new PcapWriter(out, PcapWriter.RAW_IP, new MonotonicWallClock(start, nanos::get))) {
      w.frame(frame, 0, frame.length);
      nanos.addAndGet(1_500_000); // 1.5 ms later
      w.frame(frame, 0, frame.length);
      nanos.addAndGet(2_000_000_000L); // 2 s later
      w.frame(frame, 0, frame.length);
    }
    assertThat(timestamps(out.toByteArray(), frame.length))
        .containsExactly(start, start + 1_500, start + 2_001_500);
    assertThat(ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN).getInt(20))
        .isEqualTo(PcapWriter.RAW_IP);
  }

  private static long[] timestamps(byte[] pcap, int frameLength) {
    ByteBuffer b = ByteBuffer.wrap(pcap).order(ByteOrder.LITTLE_ENDIAN);
    int n = (pcap.length - PcapWriter.FILE_HEADER) / (PcapWriter.RECORD_HEADER + frameLength);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      int at = PcapWriter.FILE_HEADER + i * (PcapWriter.RECORD_HEADER + frameLength);
      out[i] = (b.getInt(at) & 0xFFFF_FFFFL) * 1_000_000 + b.getInt(at + 4);
      assertThat(b.getInt(at + 8)).isEqualTo(frameLength);
    }
    return out;
  }
}
