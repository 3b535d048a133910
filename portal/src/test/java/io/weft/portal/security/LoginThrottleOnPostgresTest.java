package io.weft.portal.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.testkit.PostgresTestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Two replicas behind a load balancer share one throttle: a guesser who spreads attempts over both
 * waits as long as against one, and replicas recording the same failures at once lose none.
 */
class LoginThrottleOnPostgresTest {

  private static PostgresTestDatabase database;

  @BeforeAll
  static void createDatabase() {
    database = PostgresTestDatabase.createOrSkip("LoginThrottleOnPostgresTest");
  }

  @AfterAll
  static void dropDatabase() {
    if (database != null) {
      database.close();
    }
  }

  private static LoginThrottle replica(boolean migrate) {
    return LoginThrottleTest.throttleOn(
        new DriverManagerDataSource(database.jdbcUrl(), database.user(), database.password()),
        Clock.systemUTC(),
        migrate);
  }

  @Test
  void aGuesserAlternatingBetweenReplicasWaitsAsLongAsAgainstOne() {
    LoginThrottle a = replica(true);
    LoginThrottle b = replica(false);
    for (int i = 0; i < 3; i++) {
      a.failed("erin@acme.example", "198.51.100.7");
      b.failed("erin@acme.example", "198.51.100.7");
    }
    assertThat(b.waitFor("erin@acme.example", "198.51.100.7"))
        .as("six failures over two replicas are six failures")
        .isBetween(Duration.ofSeconds(9), Duration.ofSeconds(10));
    assertThat(a.waitFor("erin@acme.example", "198.51.100.7")).isPositive();
    b.succeeded("erin@acme.example", "198.51.100.7");
    assertThat(a.waitFor("erin@acme.example", "198.51.100.7")).isZero();
  }

  @Test
  void failuresRecordedAtOnceOnBothReplicasAreAllCounted() throws Exception {
    LoginThrottle a = replica(true);
    LoginThrottle b = replica(false);
    int perReplica = 8;
    CyclicBarrier start = new CyclicBarrier(2 * perReplica);
    ExecutorService pool = Executors.newFixedThreadPool(2 * perReplica);
    try {
      List<Future<Duration>> results = new ArrayList<>();
      for (int i = 0; i < 2 * perReplica; i++) {
        LoginThrottle replica = i % 2 == 0 ? a : b;
        results.add(
            pool.submit(() -> {
              start.await();
              return replica.failed("frank@acme.example", "198.51.100.8");
            }));
      }
      for (Future<Duration> r : results) {
        r.get();
      }
    } finally {
      pool.shutdownNow();
    }
    int counted =
        JdbcClient.create(
                new DriverManagerDataSource(
                    database.jdbcUrl(), database.user(), database.password()))
            .sql("SELECT failures FROM portal_login_failure WHERE throttle_key = :k")
            .param("k", LoginThrottle.key("frank@acme.example", "198.51.100.8"))
            .query(Integer.class)
            .single();
    assertThat(counted).as("no failure lost between the replicas").isEqualTo(2 * perReplica);
    assertThat(a.waitFor("frank@acme.example", "198.51.100.8")).isPositive();
  }
}
