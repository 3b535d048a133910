package io.weft.fabric.tables.internal;

import io.weft.fabric.tables.TablesBusyException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Bounds how many full snapshots this replica builds at once. When a thousand agents start
 * together, each first poll is a full build (the model read for every VM network on the host, then
 * ~100 KiB of JSON); built all at once they took both replicas' cores and the readiness checks with
 * them, and HAProxy took both replicas out ({@code ./weft bench scale}, docs/benchmarks.md). Here a
 * build waits for one of {@code weft.tables.snapshot-builds} permits (default: the number of cores,
 * at least 2), in arrival order, for at most {@code weft.tables.snapshot-queue-wait}; a poll still
 * waiting then is refused with a hint of when to come back (see {@link #retryHint()}), so agents
 * return spread out instead of retrying blindly. Waiting costs a parked virtual thread and an open
 * connection, not a core.
 *
 * <p>The queue itself is bounded: a poll that finds more polls waiting than this replica builds
 * within the queue wait at its recent pace ({@link #room()}) would only time out there, so it is
 * refused at once, before it parks. At 10,000 agents about 5,000 first polls per replica queued on
 * the semaphore; each one timing out walked the whole wait queue to unlink itself, and each refusal
 * walked it again to count it for its hint, so refusing was quadratic and the replicas spent their
 * cores turning agents away (docs/benchmarks.md, "10,000 agents"). The waiting polls are counted
 * here, never by asking the semaphore.
 *
 * <p>Two polls of one host that both need a snapshot (an agent that timed out and asked again while
 * its first build was still running) share one build: it is the same table.
 */
@Component
class SnapshotAdmission {

  private static final Duration MIN_HINT = Duration.ofSeconds(1);

  private final int permits;
  private final Semaphore builds;
  private final Duration maxWait;
  private final AtomicLong meanBuildNanos = new AtomicLong(50_000_000);

  /**
   * The pace the queue is sized and hinted by: the mean build time when it falls, but following it
   * up only after the first {@value #WARM_UP} builds, and then slowly (weight 1/64). A replica's
   * first builds run on a cold JVM, many times slower than a minute later; sized by those, the
   * queue held a few dozen polls, the rest of a storm was refused at once and sent away for a whole
   * queue wait while the warmed-up replica ran out of work (at 1,000 agents: no snapshot built for
   * 15 s, the storm 74 s instead of 41 s; docs/benchmarks.md). Sized too generously, a poll only
   * waits its queue wait and is refused then.
   */
  private final AtomicLong paceNanos = new AtomicLong(50_000_000);

  /** Builds whose slowness does not count against the pace (see {@link #paceNanos}). */
  static final int WARM_UP = 64;

  private final AtomicLong builtSoFar = new AtomicLong();

  private final Map<UUID, CompletableFuture<Object>> inFlight = new ConcurrentHashMap<>();
  private final AtomicLong shared = new AtomicLong();

  /** Polls waiting for a permit now (counted here: the semaphore counts by walking its queue). */
  private final AtomicInteger waiting = new AtomicInteger();

  /** Polls refused at once because the queue was full, so far. */
  private final AtomicLong refusedAtOnce = new AtomicLong();

  SnapshotAdmission(
      @Value("${weft.tables.snapshot-builds:0}") int permits,
      @Value("${weft.tables.snapshot-queue-wait:30s}") Duration maxWait) {
    this.permits = permits > 0 ? permits : Math.max(2, Runtime.getRuntime().availableProcessors());
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException(
          "weft.tables.snapshot-queue-wait must not be negative, not " + maxWait);
    }
    this.builds = new Semaphore(this.permits, true);
    this.maxWait = maxWait;
  }

  /**
   * Runs {@code build} for {@code host} once a permit is free, or joins a build of the same host
   * already running; throws {@link TablesBusyException} if no permit came within the queue wait.
   */
  @SuppressWarnings("unchecked")
  <T> T admit(UUID host, Supplier<T> build) {
    CompletableFuture<Object> mine = new CompletableFuture<>();
    CompletableFuture<Object> running = inFlight.putIfAbsent(host, mine);
    if (running != null) {
      shared.incrementAndGet();
      return (T) join(running);
    }
    try {
      T table = runAdmitted(build);
      mine.complete(table);
      return table;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(host, mine);
    }
  }

  private <T> T runAdmitted(Supplier<T> build) {
    int room = room();
    int ahead;
    do {
      ahead = waiting.get();
      if (ahead >= room) {
        // It would wait out the queue wait and be refused then: refuse it now, unparked.
        refusedAtOnce.incrementAndGet();
        throw new TablesBusyException(hint(ahead));
      }
    } while (!waiting.compareAndSet(ahead, ahead + 1));
    boolean admitted;
    try {
      admitted = builds.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TablesBusyException(MIN_HINT);
    } finally {
      waiting.decrementAndGet();
    }
    if (!admitted) {
      throw new TablesBusyException(retryHint());
    }
    long start = System.nanoTime();
    try {
      return build.get();
    } finally {
      builds.release();
      built(System.nanoTime() - start);
    }
  }

  /**
   * How many polls may wait for a permit: those this replica builds within the queue wait at the
   * recent pace (the wait times the permits, over the build time of {@link #paceNanos}), and at
   * least one per permit. A poll behind more would time out in the queue.
   */
  int room() {
    long pace = Math.max(1, paceNanos.get());
    long room = maxWait.toNanos() / pace * permits;
    return (int) Math.clamp(room, permits, Integer.MAX_VALUE);
  }

  /**
   * A build took {@code nanos}: a moving mean (weight 1/8), as recent builds say what the next
   * cost, and the pace ({@link #paceNanos}) after it.
   */
  void built(long nanos) {
    long mean = meanBuildNanos.updateAndGet(m -> m + (nanos - m) / 8);
    boolean warm = builtSoFar.incrementAndGet() > WARM_UP;
    paceNanos.getAndUpdate(p -> mean <= p ? mean : warm ? p + (mean - p) / 64 : p);
  }

  /**
   * When a refused poll should come back: when the builds this replica will still do for the polls
   * queued now are done, i.e. the queue drained at the recent pace (its length times the build time
   * of {@link #paceNanos}, over the permits), but never later than the queue wait. Every poll
   * queued now is built or refused within the queue wait, and one refused comes back on its own
   * hint, after this one: a drain time counting them would send this agent away while the replica
   * runs out of work. (It did: at 1,000 agents the hint, capped at 30 s only, sent early refusals
   * away for 30–60 s and made the first-snapshot storm's tail; docs/benchmarks.md.) At least a
   * second.
   */
  Duration retryHint() {
    return hint(waiting.get());
  }

  /** The hint for a poll with {@code ahead} polls waiting before it (see {@link #retryHint()}). */
  private Duration hint(int ahead) {
    long queued = (long) ahead + 1;
    Duration drain = Duration.ofNanos(queued * paceNanos.get() / permits);
    Duration hint = drain.compareTo(maxWait) > 0 ? maxWait : drain;
    return hint.compareTo(MIN_HINT) < 0 ? MIN_HINT : hint;
  }

  int permits() {
    return permits;
  }

  /** Builds running now. */
  int building() {
    return permits - builds.availablePermits();
  }

  /** Polls answered with another poll's build of the same host, so far. */
  long shared() {
    return shared.get();
  }

  /** Polls waiting for a permit now. */
  int waiting() {
    return waiting.get();
  }

  /** Polls refused without waiting because the queue was full ({@link #room()}), so far. */
  long refusedAtOnce() {
    return refusedAtOnce.get();
  }

  private static Object join(CompletableFuture<Object> running) {
    try {
      return running.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TablesBusyException(MIN_HINT);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
