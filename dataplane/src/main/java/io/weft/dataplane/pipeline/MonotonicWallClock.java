package io.weft.dataplane.pipeline;

import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * Wall-clock time read once and advanced by a monotonic clock, in microseconds since the epoch.
 * Packet timestamps and drop records use it: the system's wall clock can step backwards (NTP, an
 * operator), and mixing it with {@link System#nanoTime()} per reading (as the first pcap writer
 * did) steps backwards whenever the two disagree; this never does. Allocation-free and thread-safe.
 */
public final class MonotonicWallClock {

  private final long epochMicrosAtStart;
  private final long nanosAtStart;
  private final LongSupplier nanoTime;

  public MonotonicWallClock(long epochMicrosAtStart, LongSupplier nanoTime) {
    this.epochMicrosAtStart = epochMicrosAtStart;
    this.nanoTime = nanoTime;
    this.nanosAtStart = nanoTime.getAsLong();
  }

  /** The system's wall clock now, advanced by {@link System#nanoTime()} from here on. */
  public static MonotonicWallClock system() {
    Instant now = Instant.now();
    return new MonotonicWallClock(
        now.getEpochSecond() * 1_000_000 + now.getNano() / 1000, System::nanoTime);
  }

  /** Microseconds since the epoch; never smaller than an earlier reading. */
  public long epochMicros() {
    return epochMicrosAtStart + Math.max(0, nanoTime.getAsLong() - nanosAtStart) / 1000;
  }

  /** The wall time of a reading of the same monotonic clock ({@code nanoTime} units). */
  public long epochMicrosAt(long nanos) {
    return epochMicrosAtStart + (nanos - nanosAtStart) / 1000;
  }
}
