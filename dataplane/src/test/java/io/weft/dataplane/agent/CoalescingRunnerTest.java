package io.weft.dataplane.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CoalescingRunnerTest {

  @Test
  void requestsWhileARunIsInFlightMakeOneMoreRunNotOneEach() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    CountDownLatch secondDone = new CountDownLatch(1);
    CountDownLatch thirdDone = new CountDownLatch(1);
    CoalescingRunner runner =
        new CoalescingRunner(
            "test",
            () -> {
              switch (runs.incrementAndGet()) {
                case 1 -> {
                  firstStarted.countDown();
                  await(releaseFirst);
                }
                case 2 -> secondDone.countDown();
                default -> thirdDone.countDown();
              }
            });
    runner.request();
    assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 100; i++) {
      runner.request(); // a burst of lease events while the first report is in flight
    }
    releaseFirst.countDown();
    assertThat(secondDone.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(runs.get()).as("the first run and one for the 100 requests after it").isEqualTo(2);
    runner.request(); // idle again: a later request runs again
    assertThat(thirdDone.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(runs.get()).isEqualTo(3);
  }

  @Test
  void aRequestJustAsARunEndsIsNeverLost() {
    AtomicInteger runs = new AtomicInteger();
    CoalescingRunner runner = new CoalescingRunner("test", runs::incrementAndGet);
    for (int i = 1; i <= 2000; i++) {
      runner.request(); // right after the previous run, often before its thread has let go
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (runs.get() < i) {
        assertThat(System.nanoTime()).as("run %d never came", i).isLessThan(deadline);
        Thread.onSpinWait();
      }
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
