package io.weft.dataplane.capture;

import io.weft.dataplane.pipeline.FrameTap;
import io.weft.dataplane.pipeline.MonotonicWallClock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A capture that can never exceed its bounds: frames matching the filter are written as pcap
 * records into one array allocated up front (the byte cap, file header included) until the packet
 * count or the byte cap is reached or the time runs out. The switch thread writes without
 * allocating; {@link #await} and {@link #pcap} are for the thread that started it.
 */
public final class BoundedCapture implements FrameTap {

  /** Why a capture stopped. */
  public enum StoppedBy {
    PACKETS,
    BYTES,
    SECONDS
  }

  private final byte[] file;
  private final int maxPackets;
  private final boolean underlay;
  private final CaptureFilter filter;
  private final MonotonicWallClock clock;
  private final CountDownLatch full = new CountDownLatch(1);
  private int length;
  private int packets;
  private volatile StoppedBy stoppedBy;

  /**
   * @param underlay true: raw IPv4 underlay packets ({@link PcapWriter#RAW_IP}); false: Ethernet
   */
  public BoundedCapture(
      int maxPackets,
      int maxBytes,
      boolean underlay,
      CaptureFilter filter,
      MonotonicWallClock clock) {
    if (maxPackets < 1 || maxBytes < PcapWriter.FILE_HEADER) {
      throw new IllegalArgumentException("bounds must allow one packet");
    }
    this.file = new byte[maxBytes];
    this.maxPackets = maxPackets;
    this.underlay = underlay;
    this.filter = filter;
    this.clock = clock;
    byte[] header = PcapWriter.fileHeader(underlay ? PcapWriter.RAW_IP : PcapWriter.ETHERNET);
    System.arraycopy(header, 0, file, 0, header.length);
    length = header.length;
  }

  @Override
  public void frame(byte[] buffer, int offset, int len) {
    if (stoppedBy != null) {
      return;
    }
    boolean keep =
        underlay
            ? filter.matchesUnderlay(buffer, offset, len)
            : filter.matchesEthernet(buffer, offset, len);
    if (!keep) {
      return;
    }
    if (length + PcapWriter.RECORD_HEADER + len > file.length) {
      stop(StoppedBy.BYTES);
      return;
    }
    long micros = clock.epochMicros();
    int at = length;
    putInt(at, (int) (micros / 1_000_000));
    putInt(at + 4, (int) (micros % 1_000_000));
    putInt(at + 8, len);
    putInt(at + 12, len);
    System.arraycopy(buffer, offset, file, at + PcapWriter.RECORD_HEADER, len);
    length = at + PcapWriter.RECORD_HEADER + len;
    if (++packets >= maxPackets) {
      stop(StoppedBy.PACKETS);
    }
  }

  private void putInt(int at, int v) {
    file[at] = (byte) v;
    file[at + 1] = (byte) (v >>> 8);
    file[at + 2] = (byte) (v >>> 16);
    file[at + 3] = (byte) (v >>> 24);
  }

  private void stop(StoppedBy why) {
    if (stoppedBy == null) {
      stoppedBy = why;
      full.countDown();
    }
  }

  /** Waits until a bound is reached or {@code time} has passed (then it stops by SECONDS). */
  public StoppedBy await(Duration time) throws InterruptedException {
    if (!full.await(time.toNanos(), TimeUnit.NANOSECONDS)) {
      stop(StoppedBy.SECONDS);
    }
    return stoppedBy;
  }

  /** The pcap file so far; call once the capture is detached from the switch. */
  public byte[] pcap() {
    return Arrays.copyOf(file, length);
  }

  /** Which packets it keeps: a capture taken by the kernel compiles it to BPF. */
  public CaptureFilter filter() {
    return filter;
  }

  /** True: raw IPv4 underlay packets; false: a port's Ethernet frames. */
  public boolean underlay() {
    return underlay;
  }

  public int packets() {
    return packets;
  }

  public StoppedBy stoppedBy() {
    return stoppedBy;
  }
}
