package io.weft.portal.ui.operator;

import io.weft.testkit.PostgresTestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The look-ups by id and vNIC id on the local PostgreSQL: UUID IN lists batched as deployed. */
@EnabledIf("postgresAvailable")
class FindVmsOnPostgresTest extends FindVmsTest {

  private static PostgresTestDatabase database;

  static boolean postgresAvailable() {
    String reason = PostgresTestDatabase.unavailableReason().orElse(null);
    if (reason != null) {
      System.out.println("SKIPPED FindVmsOnPostgresTest: " + reason);
    }
    return reason == null;
  }

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    database = PostgresTestDatabase.create();
    registry.add("spring.datasource.url", database::jdbcUrl);
    registry.add("spring.datasource.username", database::user);
    registry.add("spring.datasource.password", database::password);
  }

  @AfterAll
  static void drop() {
    // The context stays cached for the run; the database is dropped with FORCE at the end.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> database.close()));
  }
}
