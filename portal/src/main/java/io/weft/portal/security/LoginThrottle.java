package io.weft.portal.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

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
 * gain nothing. The counts live in the database ({@code portal_login_failure}), so every replica
 * behind a load balancer enforces the same wait.
 */
@Component
public class LoginThrottle {

  static final int FREE_FAILURES = 4;
  static final Duration FIRST_DELAY = Duration.ofSeconds(5);
  static final Duration MAX_DELAY = Duration.ofMinutes(5);
  static final Duration FORGET_AFTER = Duration.ofHours(1);

  private final JdbcClient jdbc;
  private final TransactionTemplate transaction;
  private final Clock clock;

  public LoginThrottle(JdbcClient jdbc, PlatformTransactionManager transactions, Clock clock) {
    this.jdbc = jdbc;
    this.transaction = new TransactionTemplate(transactions);
    this.clock = clock;
  }

  /** How long this user name from this address must still wait; zero when it may try now. */
  public Duration waitFor(String username, String address) {
    return jdbc.sql("SELECT not_before FROM portal_login_failure WHERE throttle_key = :k")
        .param("k", key(username, address))
        .query(Timestamp.class)
        .optional()
        .map(notBefore -> Duration.between(clock.instant(), notBefore.toInstant()))
        .filter(left -> left.isPositive())
        .orElse(Duration.ZERO);
  }

  /** Records a failed attempt; returns the wait now imposed before the next one. */
  public Duration failed(String username, String address) {
    String key = key(username, address);
    Instant now = clock.instant();
    for (int attempt = 1; ; attempt++) {
      try {
        return delayAfter(transaction.execute(s -> count(key, now)));
      } catch (DuplicateKeyException e) {
        // Two replicas recorded this key's first failure at once; the row exists now: count again.
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  /** A successful sign-in clears the count for this user name and address. */
  public void succeeded(String username, String address) {
    jdbc.sql("DELETE FROM portal_login_failure WHERE throttle_key = :k")
        .param("k", key(username, address))
        .update();
  }

  static Duration delayAfter(int failureCount) {
    if (failureCount <= FREE_FAILURES) {
      return Duration.ZERO;
    }
    int doublings = Math.min(failureCount - FREE_FAILURES - 1, 20);
    Duration delay = FIRST_DELAY.multipliedBy(1L << doublings);
    return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
  }

  private record Failures(int count, Instant last) {}

  /** Inside one transaction: this key's failure count after one more failure at {@code now}. */
  private int count(String key, Instant now) {
    Optional<Failures> old =
        jdbc.sql(
                "SELECT failures, last_failure_at FROM portal_login_failure"
                    + " WHERE throttle_key = :k FOR UPDATE")
            .param("k", key)
            .query((rs, n) -> new Failures(rs.getInt(1), rs.getTimestamp(2).toInstant()))
            .optional();
    boolean fresh = old.isEmpty() || old.get().last().plus(FORGET_AFTER).isBefore(now);
    int count = fresh ? 1 : old.get().count() + 1;
    String sql =
        old.isEmpty()
            ? "INSERT INTO portal_login_failure (throttle_key, failures, last_failure_at,"
                + " not_before) VALUES (:k, :c, :at, :nb)"
            : "UPDATE portal_login_failure SET failures = :c, last_failure_at = :at,"
                + " not_before = :nb WHERE throttle_key = :k";
    jdbc.sql(sql)
        .param("k", key)
        .param("c", count)
        .param("at", Timestamp.from(now))
        .param("nb", Timestamp.from(now.plus(delayAfter(count))))
        .update();
    if (count == 1) {
      // Forget what nobody touched for an hour, so a flood of distinct keys cannot grow the table.
      jdbc.sql("DELETE FROM portal_login_failure WHERE last_failure_at < :cutoff")
          .param("cutoff", Timestamp.from(now.minus(FORGET_AFTER)))
          .update();
    }
    return count;
  }

  static String key(String username, String address) {
    String user = username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
    String both = user + "\u0000" + (address == null ? "" : address);
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(both.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
