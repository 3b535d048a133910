package io.weft.portal.api;

import io.weft.portal.H2ApplicationTest;
import io.weft.testkit.PostgresTestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Paged lists on the local PostgreSQL: LIMIT/OFFSET, UUID order and timestamps as deployed. */
@EnabledIf("postgresAvailable")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "weft.admin-password=" + H2ApplicationTest.ADMIN_PASSWORD)
class PagedListsOnPostgresTest extends PagedListsContract {

  private static PostgresTestDatabase database;

  @LocalServerPort int port;

  static boolean postgresAvailable() {
    String reason = PostgresTestDatabase.unavailableReason().orElse(null);
    if (reason != null) {
      System.out.println("SKIPPED PagedListsOnPostgresTest: " + reason);
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

  @Override
  int port() {
    return port;
  }
}
