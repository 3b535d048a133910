package io.weft.fabric.tables.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A replica's periodic chore: one daemon thread running a task with a fixed delay between runs,
 * from {@link #start()} until {@link #stop()}, which waits up to 10 s for a run in flight.
 */
final class FixedDelayTimer {

  /** What stopping does to a run in flight. */
  enum OnStop {
    /** Lets it finish (a write that must not be cut short). */
    FINISH,
    /** Interrupts it (work the next replica or the next run does anyway). */
    INTERRUPT
  }

  private final String threadName;
  private final Duration delay;
  private final OnStop onStop;
  private final Runnable task;
  private volatile ScheduledExecutorService executor;

  FixedDelayTimer(String threadName, Duration delay, OnStop onStop, Runnable task) {
    this.threadName = threadName;
    this.delay = delay;
    this.onStop = onStop;
    this.task = task;
  }

  void start() {
    ScheduledExecutorService started =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name(threadName).factory());
    long ms = delay.toMillis();
    started.scheduleWithFixedDelay(task, ms, ms, TimeUnit.MILLISECONDS);
    executor = started;
  }

  void stop() {
    ScheduledExecutorService running = executor;
    executor = null;
    if (running == null) {
      return;
    }
    if (onStop == OnStop.INTERRUPT) {
      running.shutdownNow();
    } else {
      running.shutdown();
    }
    try {
      running.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  boolean isRunning() {
    return executor != null;
  }
}
