package io.weft.dataplane.agent;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The loop each of the agent's long-polls (tables, commands) runs on a virtual thread of its own:
 * one round, then the pause that round asks for, until {@link #close()}; paused (tests: an agent
 * alive but no longer following the fabric) it only waits. It counts the failed rounds in a row and
 * turns them into the back-off pause ({@link RetrySchedule}: exponential, capped, full jitter), and
 * a back-off pause can be cut short from outside ({@link #endBackOff()}) once the fabric is known
 * to answer again.
 */
final class LongPollLoop implements AutoCloseable {

  private static final Duration PAUSED_CHECK = Duration.ofMillis(100);

  /** One round: polls once and answers how long to wait before the next (zero: at once). */
  @FunctionalInterface
  interface Round {
    Duration run();
  }

  private final String name;
  private final RetrySchedule retries;

  /** Released to end a back-off pause early. */
  private final Semaphore backOffEnded = new Semaphore(0);

  private volatile boolean running;
  private volatile boolean paused;
  private volatile Thread thread;
  private volatile int consecutiveFailures;

  /**
   * @param name the loop thread's name
   * @param retries the back-off after failures: {@code retries.delay(0)} after the first
   */
  LongPollLoop(String name, RetrySchedule retries) {
    this.name = name;
    this.retries = retries;
  }

  /** Starts the rounds on a virtual thread; false, starting nothing, when already running. */
  synchronized boolean start(Round round) {
    if (running) {
      return false;
    }
    running = true;
    thread = Thread.ofVirtual().name(name).start(() -> loop(round));
    return true;
  }

  private void loop(Round round) {
    while (running) {
      if (paused) {
        sleep(PAUSED_CHECK);
        continue;
      }
      Duration pause = round.run();
      if (!pause.isZero()) {
        pauseUnlessBackOffEnded(pause);
      }
    }
  }

  private void pauseUnlessBackOffEnded(Duration pause) {
    try {
      backOffEnded.tryAcquire(pause.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** True from {@link #start} until {@link #close()}. */
  boolean running() {
    return running;
  }

  /** Stops the rounds (after the one under way) until {@link #resume()}. */
  void pause() {
    paused = true;
  }

  void resume() {
    paused = false;
  }

  boolean paused() {
    return paused;
  }

  /** Counts a failed round. */
  void failed() {
    consecutiveFailures++;
  }

  /** The fabric answered: the failures in a row are over. */
  void answered() {
    consecutiveFailures = 0;
  }

  int consecutiveFailures() {
    return consecutiveFailures;
  }

  /** The pause after the failures in a row so far. */
  Duration backoff() {
    return backoff(consecutiveFailures);
  }

  /** The pause after {@code failures} failures in a row (1 = the first): {@link RetrySchedule}. */
  Duration backoff(int failures) {
    return retries.delay(Math.max(0, failures - 1), ThreadLocalRandom.current());
  }

  /**
   * Ends the back-off pause under way (or the next one, if none is) when the loop is backing off
   * after failures; otherwise does nothing.
   */
  void endBackOff() {
    if (consecutiveFailures > 0 && backOffEnded.availablePermits() == 0) {
      backOffEnded.release();
    }
  }

  /** Sleeps, returning early (with the interrupt flag set) when interrupted. */
  static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the loop and interrupts a pause or a request under way. */
  @Override
  public void close() {
    running = false;
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }
}
