package io.weft.fabric.tables.internal;

import io.weft.fabric.FabricTestApplication;
import io.weft.testkit.PostgresTestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** External hosts in host tables, on PostgreSQL (its constraints, types and locks). */
@EnabledIf("io.weft.testkit.PostgresTestDatabase#available")
@SpringBootTest(classes = FabricTestApplication.class)
class ExternalHostTablesOnPostgresTest extends ExternalHostTablesContract {

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
