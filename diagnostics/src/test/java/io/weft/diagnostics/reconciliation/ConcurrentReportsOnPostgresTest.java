package io.weft.diagnostics.reconciliation;

import io.weft.diagnostics.trace.TraceTestApplication;
import io.weft.testkit.PostgresTestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link ConcurrentReportsContract} on PostgreSQL, where replicas store agents' reports. */
@EnabledIf("io.weft.testkit.PostgresTestDatabase#available")
@SpringBootTest(
    classes = TraceTestApplication.class,
    properties =
        "spring.flyway.locations=classpath:db/migration/ipam,classpath:db/migration/fabric,"
            + "classpath:db/migration/diagnostics,classpath:db/migration/quartz/{vendor}")
class ConcurrentReportsOnPostgresTest extends ConcurrentReportsContract {

  private static PostgresTestDatabase db;

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    db = PostgresTestDatabase.create();
    registry.add("spring.datasource.url", db::jdbcUrl);
    registry.add("spring.datasource.username", db::user);
    registry.add("spring.datasource.password", db::password);
  }

  @AfterAll
  static void drop() {
    if (db != null) {
      db.close();
    }
  }
}
