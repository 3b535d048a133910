package io.weft.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.identity.AccountService;
import io.weft.testkit.PostgresTestDatabase;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The application on the local PostgreSQL: migrations apply and two replicas share one database.
 */
class ApplicationOnPostgresTest {

  private static PostgresTestDatabase database;

  @BeforeAll
  static void createDatabase() {
    database = PostgresTestDatabase.createOrSkip("ApplicationOnPostgresTest");
  }

  @AfterAll
  static void dropDatabase() {
    if (database != null) {
      database.close();
    }
  }

  @Test
  void twoReplicasStartingTogetherOnAnEmptyDatabaseCreateExactlyOneOperator() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<ConfigurableApplicationContext> a =
          pool.submit(() -> ReplicaInThisJvm.start(database));
      Future<ConfigurableApplicationContext> b =
          pool.submit(() -> ReplicaInThisJvm.start(database));
      try (ConfigurableApplicationContext first = a.get();
          ConfigurableApplicationContext second = b.get()) {
        assertThat(first.getBean(AccountService.class).countOperators()).isEqualTo(1);
        JdbcTemplate jdbc = second.getBean(JdbcTemplate.class);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM fabric_account", Long.class))
            .isEqualTo(1);
        assertThat(
                jdbc.queryForObject(
                    "SELECT count(*) FROM flyway_schema_history WHERE success", Long.class))
            .isGreaterThanOrEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
