package io.weft.diagnostics.retention;

import io.weft.diagnostics.trace.TraceTestApplication;
import io.weft.testkit.PostgresClassDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link RetentionContract} on PostgreSQL, with Quartz's clustered store as replicas run it. */
@SpringBootTest(
    classes = TraceTestApplication.class,
    properties =
        "spring.flyway.locations=classpath:db/migration/ipam,classpath:db/migration/fabric,"
            + "classpath:db/migration/diagnostics,classpath:db/migration/quartz/{vendor}")
class RetentionOnPostgresTest extends RetentionContract {

  @RegisterExtension static final PostgresClassDatabase db = new PostgresClassDatabase();

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    db.addDataSource(registry::add);
  }
}
