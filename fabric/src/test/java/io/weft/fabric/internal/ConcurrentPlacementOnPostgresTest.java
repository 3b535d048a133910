package io.weft.fabric.internal;

import io.weft.testkit.PostgresClassDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link ConcurrentPlacementContract} on a PostgreSQL database of its own, as replicas use it. */
class ConcurrentPlacementOnPostgresTest extends ConcurrentPlacementContract {

  @RegisterExtension static final PostgresClassDatabase db = new PostgresClassDatabase();

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    db.addDataSource(registry::add);
  }
}
