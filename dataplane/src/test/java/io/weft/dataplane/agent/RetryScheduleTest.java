package io.weft.dataplane.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The back-off of agents and API clients: exponential, capped, full jitter. */
class RetryScheduleTest {

  private static final long SEED = 20261204L;

  @Test
  void theCeilingDoublesFromTheBaseUpToTheCapAndStaysThere() {
    RetrySchedule agent = RetrySchedule.AGENT;
    long[] expected = {250, 500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000};
    for (int attempt = 0; attempt < expected.length; attempt++) {
      assertThat(agent.ceiling(attempt).toMillis())
          .as("attempt " + attempt)
          .isEqualTo(expected[attempt]);
    }
    // No overflow however long the fabric is gone.
    assertThat(agent.ceiling(62)).isEqualTo(Duration.ofSeconds(30));
    assertThat(agent.ceiling(1_000_000)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void everyDelayIsWithinZeroAndTheCeiling() {
    SplittableRandom random = new SplittableRandom(SEED);
    for (int attempt = 0; attempt < 40; attempt++) {
      for (int i = 0; i < 200; i++) {
        assertThat(RetrySchedule.AGENT.delay(attempt, random))
            .isBetween(Duration.ZERO, RetrySchedule.AGENT.ceiling(attempt));
      }
    }
  }

  @Test
  void agentsFailingTogetherComeBackSpreadEvenlyNotAsAStampede() {
    // 10,000 agents lose their replica at the same instant; where does each retry land (attempt
    // 3: ceiling 2 s)? Full jitter spreads them uniformly: no 100 ms slot of the 20 gets more
    // than 1.3 times its even share; a fixed or unjittered delay would put them all in one.
    SplittableRandom random = new SplittableRandom(SEED);
    int agents = 10_000;
    int[] slots = new int[21];
    long sum = 0;
    for (int i = 0; i < agents; i++) {
      long ms = RetrySchedule.AGENT.delay(3, random).toMillis();
      slots[(int) (ms / 100)]++;
      sum += ms;
    }
    for (int slot = 0; slot < 20; slot++) {
      assertThat(slots[slot]).as("retries in slot " + slot).isBetween(350, 650);
    }
    assertThat(sum / agents).as("mean delay, ms").isBetween(950L, 1_050L);
  }

  @Test
  void aScheduleNeedsAPositiveBaseAndACapNotBelowIt() {
    assertThatThrownBy(() -> new RetrySchedule(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageContaining("base");
    assertThatThrownBy(() -> new RetrySchedule(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("cap");
    assertThatThrownBy(() -> RetrySchedule.AGENT.ceiling(-1)).hasMessageContaining("attempt");
  }
}
