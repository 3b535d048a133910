package io.weft.portal;

import io.weft.testkit.PostgresTestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A throwaway PostgreSQL database for one test class's Spring context. The context stays cached for
 * the rest of the run, so the database is dropped (with FORCE) when the JVM exits, not after the
 * class. Test classes use {@code @EnabledIf("io.weft.portal.PostgresContextDatabase#available")},
 * which prints why they skip.
 */
public final class PostgresContextDatabase {

  private PostgresContextDatabase() {}

  public static boolean available() {
    var reason = PostgresTestDatabase.unavailableReason();
    reason.ifPresent(r -> System.out.println("[skip] PostgreSQL tests skipped: " + r));
    return reason.isEmpty();
  }

  /** Creates the database and points the context's data source at it. */
  public static void register(DynamicPropertyRegistry registry) {
    PostgresTestDatabase database = PostgresTestDatabase.create();
    Runtime.getRuntime().addShutdownHook(new Thread(database::close, "drop-" + database.name()));
    database.addDataSource(registry::add);
  }
}
