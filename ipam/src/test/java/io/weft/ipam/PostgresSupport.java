package io.weft.ipam;

import io.weft.testkit.PostgresTestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One throwaway PostgreSQL database for all PostgreSQL tests of this JVM, dropped at exit. Tests
 * use {@code @EnabledIf("io.weft.ipam.PostgresSupport#available")}, which prints why they skip.
 */
public final class PostgresSupport {

  private static PostgresTestDatabase database;

  private PostgresSupport() {}

  public static boolean available() {
    var reason = PostgresTestDatabase.unavailableReason();
    reason.ifPresent(r -> System.out.println("[skip] PostgreSQL tests skipped: " + r));
    return reason.isEmpty();
  }

  static synchronized PostgresTestDatabase database() {
    if (database == null) {
      PostgresTestDatabase created = PostgresTestDatabase.create();
      Runtime.getRuntime().addShutdownHook(new Thread(created::close, "drop-" + created.name()));
      database = created;
    }
    return database;
  }

  public static void register(DynamicPropertyRegistry registry) {
    PostgresTestDatabase db = database();
    registry.add("spring.datasource.url", db::jdbcUrl);
    registry.add("spring.datasource.username", db::user);
    registry.add("spring.datasource.password", db::password);
    registry.add("spring.datasource.hikari.maximum-pool-size", () -> "12");
  }
}
