package io.weft.dataplane.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Collects what one switch did with the packets of one probe; filled on the switch thread, read by
 * the command that watches. Bounded: a probe is a handful of packets, so after {@link #MAX}
 * observations the rest are counted, not kept.
 */
public final class ProbeRecorder {

  public static final int MAX = 256;

  private final List<ProbeObservation> observations = new ArrayList<>();
  private int lost;

  /** A sink for one probe packet entering the switch {@code from} somewhere. */
  TraceSink sink(String from, boolean reply, int sequence) {
    return step ->
        add(
            new ProbeObservation(
                Instant.now(),
                System.nanoTime(),
                from,
                reply,
                sequence,
                step.stage(),
                step.detail()));
  }

  private synchronized void add(ProbeObservation o) {
    if (observations.size() >= MAX) {
      lost++;
    } else {
      observations.add(o);
    }
    notifyAll();
  }

  public synchronized List<ProbeObservation> observations() {
    return List.copyOf(observations);
  }

  public synchronized int lost() {
    return lost;
  }

  /**
   * Waits until {@code done} holds for what was observed, or {@code max} has passed; returns
   * whether it held.
   */
  public synchronized boolean awaitUntil(Predicate<List<ProbeObservation>> done, Duration max)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!done.test(observations)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }
}
