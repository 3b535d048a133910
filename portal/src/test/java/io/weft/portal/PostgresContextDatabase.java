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
    return PostgresTestDatabase.availableOrSayWhy();
  }

  /** Creates the database and points the context's data source at it. */
  public static void register(DynamicPropertyRegistry registry) {
    PostgresTestDatabase.createDroppedAtExit().addDataSource(registry::add);
  }
}
