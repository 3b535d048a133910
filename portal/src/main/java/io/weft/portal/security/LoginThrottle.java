package io.weft.portal.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Slows password guessing without a lockout anyone could trigger on purpose.
 *
 * <p>Failures are counted per user name <em>and</em> client address: a stranger guessing from
 * elsewhere only slows down their own address, never the real user's. The first {@value
 * #FREE_FAILURES} failures cost nothing (typos happen); from then on each attempt must wait {@code
 * 5 s × 2^(failures − FREE)}, capped at {@link #MAX_DELAY}. There is never a hard lockout: after
 * the wait the next attempt is checked as usual, and a success clears the count. A count nobody
 * touched for {@link #FORGET_AFTER} is forgotten.
 *
 * <p>Attempts made during the wait are refused without checking the password, so parallel requests
 * gain nothing. The state is per replica: behind a load balancer with N replicas a guesser gets at
 * most N times the rate, still exponentially slowed.
 */
@Component
public class LoginThrottle {

  static final int FREE_FAILURES = 4;
  static final Duration FIRST_DELAY = Duration.ofSeconds(5);
  static final Duration MAX_DELAY = Duration.ofMinutes(5);
  static final Duration FORGET_AFTER = Duration.ofHours(1);
  private static final int MAX_ENTRIES = 100_000;

  private final Clock clock;
  private final Map<String, Failures> failures = new ConcurrentHashMap<>();

  public LoginThrottle() {
    this(Clock.systemUTC());
  }

  LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /** How long this user name from this address must still wait; zero when it may try now. */
  public Duration waitFor(String username, String address) {
    Failures f = failures.get(key(username, address));
    if (f == null) {
      return Duration.ZERO;
    }
    Duration left = Duration.between(clock.instant(), f.notBefore());
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** Records a failed attempt; returns the wait now imposed before the next one. */
  public Duration failed(String username, String address) {
    Instant now = clock.instant();
    if (failures.size() > MAX_ENTRIES) {
      forgetOld(now);
    }
    Failures next =
        failures.compute(
            key(username, address),
            (k, old) -> {
              int count =
                  old == null || old.last().plus(FORGET_AFTER).isBefore(now) ? 1 : old.count() + 1;
              return new Failures(count, now, now.plus(delayAfter(count)));
            });
    return delayAfter(next.count());
  }

  /** A successful sign-in clears the count for this user name and address. */
  public void succeeded(String username, String address) {
    failures.remove(key(username, address));
  }

  static Duration delayAfter(int failureCount) {
    if (failureCount <= FREE_FAILURES) {
      return Duration.ZERO;
    }
    int doublings = Math.min(failureCount - FREE_FAILURES - 1, 20);
    Duration delay = FIRST_DELAY.multipliedBy(1L << doublings);
    return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
  }

  private void forgetOld(Instant now) {
    failures.values().removeIf(f -> f.last().plus(FORGET_AFTER).isBefore(now));
    if (failures.size() > MAX_ENTRIES) {
      // Under a flood of distinct keys, forget the oldest half rather than grow without bound.
      failures.values().removeIf(f -> f.last().isBefore(now.minus(Duration.ofMinutes(1))));
    }
  }

  private static String key(String username, String address) {
    String user = username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
    return user + "\u0000" + (address == null ? "" : address);
  }

  private record Failures(int count, Instant last, Instant notBefore) {}
}
