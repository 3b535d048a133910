package io.weft.fabric.tables.internal;

import io.weft.fabric.FabricTestApplication;
import io.weft.testkit.PostgresClassDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** External hosts in host tables, on PostgreSQL (its constraints, types and locks). */
@SpringBootTest(classes = FabricTestApplication.class)
class ExternalHostTablesOnPostgresTest extends ExternalHostTablesContract {

  @RegisterExtension static final PostgresClassDatabase db = new PostgresClassDatabase();

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    db.addDataSource(registry::add);
  }
}
