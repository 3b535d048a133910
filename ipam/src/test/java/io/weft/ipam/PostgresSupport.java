package io.weft.ipam;

import io.weft.testkit.PostgresTestDatabase;
import java.util.concurrent.TimeUnit;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One throwaway PostgreSQL database for all PostgreSQL tests of this JVM, dropped at exit. Tests
 * use {@code @EnabledIf("io.weft.ipam.PostgresSupport#available")}, which prints why they skip.
 */
public final class PostgresSupport {

  private static PostgresTestDatabase database;

  private PostgresSupport() {}

  public static boolean available() {
    return PostgresTestDatabase.availableOrSayWhy();
  }

  static synchronized PostgresTestDatabase database() {
    if (database == null) {
      database = PostgresTestDatabase.createDroppedAtExit();
    }
    return database;
  }

  /** Waits until at least {@code sessions} sessions of this database wait on a lock. */
  public static void awaitSessionsWaitingOnALock(JdbcTemplate jdbc, int sessions)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      Integer waiting =
          jdbc.queryForObject(
              "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                  + " AND wait_event_type = 'Lock'",
              Integer.class);
      if (waiting != null && waiting >= sessions) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("fewer than " + sessions + " sessions ever waited on a lock");
  }

  public static void register(DynamicPropertyRegistry registry) {
    database().addDataSource(registry::add);
    registry.add("spring.datasource.hikari.maximum-pool-size", () -> "12");
  }
}
