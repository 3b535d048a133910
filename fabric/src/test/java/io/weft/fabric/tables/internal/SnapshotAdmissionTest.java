package io.weft.fabric.tables.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.fabric.tables.TablesBusyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The bound on concurrent snapshot builds, the refusal with a hint, and one build per host. */
class SnapshotAdmissionTest {

  @Test
  void neverMoreBuildsAtOnceThanPermitsAndTheRestWaitTheirTurn() throws Exception {
    SnapshotAdmission admission = new SnapshotAdmission(2, Duration.ofSeconds(30));
    AtomicInteger now = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    List<Future<String>> polls = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 20; i++) {
        String table = "table-" + i;
        polls.add(
            pool.submit(() ->
                admission.admit(
                    UUID.randomUUID(),
                    () -> {
                      most.accumulateAndGet(now.incrementAndGet(), Math::max);
                      await(release);
                      now.decrementAndGet();
                      return table;
                    })));
      }
      awaitUntil(() -> admission.building() == 2 && admission.waiting() == 18);
      assertThat(most.get()).isEqualTo(2);
      release.countDown();
      for (int i = 0; i < polls.size(); i++) {
        assertThat(polls.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("table-" + i);
      }
    }
    assertThat(most.get()).as("builds at once").isEqualTo(2);
    assertThat(admission.building()).isZero();
  }

  @Test
  void aPollThatWaitedTooLongIsRefusedWithAHintAndGetsItsTableLater() throws Exception {
    SnapshotAdmission admission = new SnapshotAdmission(1, Duration.ofMillis(50));
    CountDownLatch release = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<String> holder =
          pool.submit(() ->
              admission.admit(
                  UUID.randomUUID(),
                  () -> {
                    await(release);
                    return "first";
                  }));
      awaitUntil(() -> admission.building() == 1);
      UUID late = UUID.randomUUID();
      assertThatThrownBy(() -> admission.admit(late, () -> "late"))
          .isInstanceOfSatisfying(
              TablesBusyException.class,
              e ->
                  assertThat(e.retryAfter())
                      .isBetween(Duration.ofSeconds(1), Duration.ofSeconds(30)));
      release.countDown();
      assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("first");
      assertThat(admission.admit(late, () -> "late")).isEqualTo("late");
    }
  }

  @Test
  void twoPollsOfOneHostShareOneBuild() throws Exception {
    SnapshotAdmission admission = new SnapshotAdmission(4, Duration.ofSeconds(30));
    UUID host = UUID.randomUUID();
    AtomicInteger builds = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Object> first =
          pool.submit(() ->
              admission.admit(
                  host,
                  () -> {
                    builds.incrementAndGet();
                    await(release);
                    return new Object();
                  }));
      awaitUntil(() -> admission.building() == 1);
      Future<Object> second =
          pool.submit(() ->
              admission.admit(
                  host,
                  () -> {
                    builds.incrementAndGet();
                    return new Object();
                  }));
      // The second poll parks on the first build rather than taking a permit of its own.
      awaitUntil(() -> admission.shared() == 1);
      assertThat(admission.building()).isEqualTo(1);
      release.countDown();
      assertThat(second.get(10, TimeUnit.SECONDS)).isSameAs(first.get(10, TimeUnit.SECONDS));
    }
    assertThat(builds.get()).isEqualTo(1);
  }

  @Test
  void aShortQueueIsHintedItsDrainTimeAtTheRecentPace() throws Exception {
    SnapshotAdmission admission = new SnapshotAdmission(2, Duration.ofSeconds(30));
    builtIn(admission, Duration.ofSeconds(2));
    try (Queue queue = new Queue(admission, 3)) {
      // This poll and the 3 queued, 2 s each, 2 at a time.
      assertThat(admission.retryHint()).isCloseTo(Duration.ofSeconds(4), Duration.ofMillis(1));
    }
  }

  @Test
  void aLongQueueIsHintedNoLaterThanAQueuedPollMayWait() throws Exception {
    SnapshotAdmission admission = new SnapshotAdmission(1, Duration.ofSeconds(5));
    builtIn(admission, Duration.ofMillis(100));
    try (Queue queue = new Queue(admission, 40)) {
      // 4.1 s to build them all at the recent pace, 40 polls within the room of 50.
      assertThat(admission.room()).isEqualTo(50);
      assertThat(admission.retryHint()).isCloseTo(Duration.ofMillis(4_100), Duration.ofMillis(1));
      builtIn(admission, Duration.ofSeconds(1));
      // 41 s to build them all now, but within 5 s each is built or refused (and comes back).
      assertThat(admission.retryHint()).isEqualTo(Duration.ofSeconds(5));
    }
  }

  @Test
  void aPollBehindMoreThanTheQueueWaitBuildsIsRefusedAtOnceWithTheQueueWaitAsHint()
      throws Exception {
    SnapshotAdmission admission = new SnapshotAdmission(2, Duration.ofSeconds(30));
    builtIn(admission, Duration.ofSeconds(3));
    // 30 s of builds at 3 s each, 2 at a time: 20 polls may wait.
    assertThat(admission.room()).isEqualTo(20);
    try (Queue queue = new Queue(admission, 20)) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> admission.admit(UUID.randomUUID(), () -> "never built"))
          .isInstanceOfSatisfying(
              TablesBusyException.class,
              e -> {
                // The 20 ahead drain in 30 s: the whole queue wait.
                assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(30));
                assertThat(e.getStackTrace()).as("a refusal is an answer, not traced").isEmpty();
              });
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("refused without waiting")
          .isLessThan(Duration.ofSeconds(1));
      assertThat(admission.refusedAtOnce()).isEqualTo(1);
      assertThat(admission.waiting()).isEqualTo(20);
    }
  }

  @Test
  void aStormOfPollsNeverQueuesMoreThanTheRoomAndTheRestAreRefusedAtOnce() throws Exception {
    // 10 s of builds at 100 ms, 2 at a time: room for 200. 5,000 polls arrive while both permits
    // are held: 200 wait, the other 4,800 are refused at once (without waiting out the queue).
    SnapshotAdmission admission = new SnapshotAdmission(2, Duration.ofSeconds(10));
    builtIn(admission, Duration.ofMillis(100));
    assertThat(admission.room()).isEqualTo(200);
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger mostWaiting = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 2; i++) {
        pool.submit(() ->
            admission.admit(
                UUID.randomUUID(),
                () -> {
                  await(release);
                  return "held";
                }));
      }
      awaitUntil(() -> admission.building() == 2);
      long start = System.nanoTime();
      List<Future<?>> polls = new ArrayList<>();
      for (int i = 0; i < 5_000; i++) {
        polls.add(
            pool.submit(() -> {
              mostWaiting.accumulateAndGet(admission.waiting(), Math::max);
              try {
                admission.admit(UUID.randomUUID(), () -> "built");
              } catch (TablesBusyException e) {
                refused.incrementAndGet();
              }
            }));
      }
      awaitUntil(() -> refused.get() == 4_800);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("the refusals came before any queued poll's wait could end")
          .isLessThan(Duration.ofSeconds(8));
      assertThat(admission.waiting()).isEqualTo(200);
      assertThat(admission.refusedAtOnce()).isEqualTo(4_800);
      release.countDown();
      for (Future<?> poll : polls) {
        poll.get(10, TimeUnit.SECONDS);
      }
    }
    assertThat(mostWaiting.get()).isLessThanOrEqualTo(200);
    assertThat(refused.get()).isEqualTo(4_800);
    assertThat(admission.waiting()).isZero();
  }

  @Test
  void aColdReplicasSlowFirstBuildsDoNotShrinkTheQueueAtOnce() {
    SnapshotAdmission admission = new SnapshotAdmission(2, Duration.ofSeconds(30));
    assertThat(admission.room()).as("30 s at the first guess, 50 ms a build").isEqualTo(1_200);
    for (int i = 0; i < 30; i++) {
      admission.built(Duration.ofSeconds(2).toNanos()); // a cold JVM's first builds
    }
    // The mean is ~2 s now (room for 30 by it): the warm-up does not count against the pace.
    assertThat(admission.room()).isEqualTo(1_200);
    for (int i = 0; i < 40; i++) {
      admission.built(Duration.ofMillis(20).toNanos()); // warmed up
    }
    assertThat(admission.room()).as("a faster pace counts at once").isGreaterThan(1_200);
    // A replica that stays slow is sized by its real pace before long.
    for (int i = 0; i < 1_000; i++) {
      admission.built(Duration.ofSeconds(1).toNanos());
    }
    assertThat(admission.room()).isEqualTo(60);
  }

  @Test
  void anIdleReplicasHintIsTheShortestOne() {
    SnapshotAdmission admission = new SnapshotAdmission(2, Duration.ZERO);
    assertThat(admission.retryHint()).isEqualTo(Duration.ofSeconds(1));
    assertThat(admission.permits()).isEqualTo(2);
  }

  /** Recent builds all took {@code took}. */
  private static void builtIn(SnapshotAdmission admission, Duration took) {
    for (int i = 0; i < 3_000; i++) {
      admission.built(took.toNanos());
    }
  }

  /** Every permit held by a build that waits, and {@code polls} more polls queued behind them. */
  private static final class Queue implements AutoCloseable {

    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

    Queue(SnapshotAdmission admission, int polls) throws InterruptedException {
      for (int i = 0; i < admission.permits() + polls; i++) {
        pool.submit(() ->
            admission.admit(
                UUID.randomUUID(),
                () -> {
                  await(release);
                  return "table";
                }));
      }
      awaitUntil(() -> admission.building() == admission.permits() && admission.waiting() == polls);
    }

    @Override
    public void close() {
      release.countDown();
      pool.close();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
      Thread.sleep(5);
    }
  }
}
