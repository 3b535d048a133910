package io.weft.portal.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The throttle's rules, on its real table in an in-memory H2 database. */
class LoginThrottleTest {

  private final MutableClock clock = new MutableClock();
  private final LoginThrottle throttle =
      throttleOn(
          new DriverManagerDataSource(
              "jdbc:h2:mem:throttle-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", ""),
          clock,
          true);

  /** A throttle as one replica has it: its own pool (here a plain data source) on the database. */
  static LoginThrottle throttleOn(DataSource database, Clock clock, boolean migrate) {
    if (migrate) {
      Flyway.configure()
          .dataSource(database)
          .locations("classpath:db/migration/portal")
          .load()
          .migrate();
    }
    return new LoginThrottle(
        JdbcClient.create(database), new DataSourceTransactionManager(database), clock);
  }

  @Test
  void theFirstFourFailuresCostNothingThenTheWaitDoublesUpToACap() {
    for (int i = 1; i <= 4; i++) {
      assertThat(throttle.failed("alice", "10.0.0.1")).isZero();
    }
    assertThat(throttle.failed("alice", "10.0.0.1")).isEqualTo(Duration.ofSeconds(5));
    assertThat(throttle.waitFor("alice", "10.0.0.1")).isEqualTo(Duration.ofSeconds(5));
    assertThat(throttle.failed("alice", "10.0.0.1")).isEqualTo(Duration.ofSeconds(10));
    assertThat(LoginThrottle.delayAfter(7)).isEqualTo(Duration.ofSeconds(20));
    assertThat(LoginThrottle.delayAfter(12)).isEqualTo(Duration.ofMinutes(5));
    assertThat(LoginThrottle.delayAfter(1_000)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void aGuesserElsewhereNeverSlowsTheRealUserDown() {
    for (int i = 0; i < 50; i++) {
      throttle.failed("bob", "203.0.113.9");
    }
    assertThat(throttle.waitFor("bob", "203.0.113.9")).isEqualTo(Duration.ofMinutes(5));
    assertThat(throttle.waitFor("bob", "10.0.0.2")).isZero();
    assertThat(throttle.waitFor("BOB ", "203.0.113.9")).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void thereIsNoLockoutTheWaitEndsAndASuccessClearsTheCount() {
    for (int i = 0; i < 30; i++) {
      throttle.failed("carol", "10.0.0.3");
    }
    clock.advance(Duration.ofMinutes(5).plusSeconds(1));
    assertThat(throttle.waitFor("carol", "10.0.0.3")).isZero();
    throttle.succeeded("carol", "10.0.0.3");
    assertThat(throttle.failed("carol", "10.0.0.3")).isZero();
  }

  @Test
  void anOldCountIsForgotten() {
    for (int i = 0; i < 6; i++) {
      throttle.failed("dave", "10.0.0.4");
    }
    clock.advance(LoginThrottle.FORGET_AFTER.plusMinutes(1));
    assertThat(throttle.failed("dave", "10.0.0.4")).isZero();
  }

  static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
