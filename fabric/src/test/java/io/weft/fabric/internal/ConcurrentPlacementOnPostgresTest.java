package io.weft.fabric.internal;

import io.weft.testkit.PostgresTestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link ConcurrentPlacementContract} on a PostgreSQL database of its own, as replicas use it. */
@EnabledIf("io.weft.testkit.PostgresTestDatabase#available")
class ConcurrentPlacementOnPostgresTest extends ConcurrentPlacementContract {

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
