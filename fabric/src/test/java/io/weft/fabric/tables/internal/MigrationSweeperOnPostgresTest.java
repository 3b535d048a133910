package io.weft.fabric.tables.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.fabric.FabricTestApplication;
import io.weft.fabric.tables.HostTableService;
import io.weft.testkit.PostgresTestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * On PostgreSQL a sweep gives way to a report instead of deadlocking with it. The source's own
 * report holds the source's table row from its start; a sweep dropping that source's port needs the
 * same row while it holds the migration's row, which the report may want next.
 */
@EnabledIf("io.weft.testkit.PostgresTestDatabase#available")
@SpringBootTest(
    classes = FabricTestApplication.class,
    properties = {
      "weft.tables.migration-peer-timeout=1s",
      // Only this test sweeps.
      "weft.tables.migration-sweep-interval=1h"
    })
class MigrationSweeperOnPostgresTest {

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

  @Autowired ApplicationContext ctx;
  @Autowired HostTableService tables;
  @Autowired MigrationSweeper sweeper;
  @Autowired DataSource dataSource;

  @Test
  void aSweepGivesWayToTheSourcesReportAndFinishesTheMigrationLater() throws Exception {
    SilentPeerMigration m = SilentPeerMigration.start(ctx, tables, "10.8.0");
    Thread.sleep(1_200); // past the peer timeout: the silent peer no longer holds the source back
    assertThat(phase()).isEqualTo("RECORDS_SWITCHED");

    try (Connection report = dataSource.getConnection()) {
      // What the source's report holds from its start.
      report.setAutoCommit(false);
      try (PreparedStatement hold =
          report.prepareStatement(
              "UPDATE fabric_table_host SET reported_at = now() WHERE host_id = ?")) {
        hold.setObject(1, m.source().value());
        hold.executeUpdate();
      }
      CompletableFuture<Void> sweep = CompletableFuture.runAsync(sweeper::sweep);
      assertThatThrownBy(() -> sweep.get(5, TimeUnit.SECONDS))
          .as("the sweep gives up within its lock timeout instead of waiting for the report")
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(PessimisticLockingFailureException.class);
      assertThat(phase()).isEqualTo("RECORDS_SWITCHED");
      report.rollback();
    }

    sweeper.sweep();
    assertThat(phase()).isEqualTo("DONE");
  }

  private String phase() {
    return tables.migrations(Cloud.OPERATOR, 1).getFirst().phase();
  }
}
