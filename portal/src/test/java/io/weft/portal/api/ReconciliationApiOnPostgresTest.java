package io.weft.portal.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.portal.H2ApplicationTest;
import io.weft.portal.PostgresContextDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Reconciliation through the API on the local PostgreSQL: Quartz's clustered JDBC store (tables
 * from Flyway, PostgreSQL delegate), so "run now" goes through the database like on replicas.
 */
@EnabledIf("io.weft.portal.PostgresContextDatabase#available")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "weft.admin-password=" + H2ApplicationTest.ADMIN_PASSWORD)
class ReconciliationApiOnPostgresTest extends ReconciliationApiContract {

  @LocalServerPort int serverPort;

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    PostgresContextDatabase.register(registry);
  }

  @Override
  int port() {
    return serverPort;
  }

  @Test
  void theScheduleLivesInQuartzsClusteredJdbcStore() {
    assertThat(
            jdbc.sql("SELECT count(*) FROM qrtz_cron_triggers WHERE trigger_name = :t")
                .param("t", "ipam-reconciliation")
                .query(Long.class)
                .single())
        .isEqualTo(1);
    assertThat(jdbc.sql("SELECT count(*) FROM qrtz_scheduler_state").query(Long.class).single())
        .as("this replica checked in")
        .isGreaterThanOrEqualTo(1);
  }
}
