package io.weft.portal.api;

import io.weft.portal.H2ApplicationTest;
import io.weft.portal.PostgresContextDatabase;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Paged lists on the local PostgreSQL: LIMIT/OFFSET, UUID order and timestamps as deployed. */
@EnabledIf("io.weft.portal.PostgresContextDatabase#available")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "weft.admin-password=" + H2ApplicationTest.ADMIN_PASSWORD)
class PagedListsOnPostgresTest extends PagedListsContract {

  @LocalServerPort int port;

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    PostgresContextDatabase.register(registry);
  }

  @Override
  int port() {
    return port;
  }
}
