package io.weft.diagnostics.reconciliation;

import io.weft.diagnostics.trace.TraceTestApplication;
import io.weft.testkit.PostgresClassDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link ConcurrentReportsContract} on PostgreSQL, where replicas store agents' reports. */
@SpringBootTest(
    classes = TraceTestApplication.class,
    properties =
        "spring.flyway.locations=classpath:db/migration/ipam,classpath:db/migration/fabric,"
            + "classpath:db/migration/diagnostics,classpath:db/migration/quartz/{vendor}")
class ConcurrentReportsOnPostgresTest extends ConcurrentReportsContract {

  @RegisterExtension static final PostgresClassDatabase db = new PostgresClassDatabase();

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    db.addDataSource(registry::add);
  }
}
