package io.weft.dataplane.agent;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long to wait before the next attempt: exponential, capped, with full jitter (a uniformly
 * random delay in {@code [0, min(cap, base * 2^attempt)]}). When a replica dies, thousands of
 * agents fail at the same moment; with a fixed delay they would all come back at the same moment
 * too, and with plain exponential back-off in the same few waves. Full jitter spreads them evenly
 * over the window, which grows while the failures last (AWS Architecture Blog, "Exponential Backoff
 * And Jitter", 2015: the fewest calls and the shortest completion of the variants compared).
 *
 * @param base the ceiling of the first retry (attempt 0)
 * @param cap the largest ceiling, however many attempts failed
 */
public record RetrySchedule(Duration base, Duration cap) {

  /** The agent's default: 250 ms doubling up to 30 s (TABLE-FORMAT.md). */
  public static final RetrySchedule AGENT =
      new RetrySchedule(Duration.ofMillis(250), Duration.ofSeconds(30));

  public RetrySchedule {
    if (base.isNegative() || base.isZero()) {
      throw new IllegalArgumentException("base must be positive: " + base);
    }
    if (cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("cap " + cap + " is below base " + base);
    }
  }

  /** The longest delay after {@code attempt} failed attempts before this one (0 = first retry). */
  public Duration ceiling(int attempt) {
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must be 0 or more: " + attempt);
    }
    long baseMs = base.toMillis();
    long capMs = cap.toMillis();
    // base * 2^attempt without overflow: it is below the cap exactly when base <= cap / 2^attempt.
    return Duration.ofMillis(
        attempt < 63 && baseMs <= capMs >> attempt ? baseMs << attempt : capMs);
  }

  /** The delay before retry number {@code attempt}: uniform in {@code [0, ceiling(attempt)]}. */
  public Duration delay(int attempt, RandomGenerator random) {
    return Duration.ofMillis(random.nextLong(ceiling(attempt).toMillis() + 1));
  }
}
