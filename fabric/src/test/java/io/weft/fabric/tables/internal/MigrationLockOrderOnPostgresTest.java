package io.weft.fabric.tables.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.fabric.FabricTestApplication;
import io.weft.fabric.HostId;
import io.weft.fabric.Subnet;
import io.weft.fabric.Vm;
import io.weft.fabric.tables.HostTableService;
import io.weft.testkit.PostgresClassDatabase;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Live migrations on PostgreSQL without deadlocks: a report takes its host's row before any
 * migration row, as a migration or drain does, and a sweep gives way to a report instead of
 * deadlocking with it.
 */
@SpringBootTest(
    classes = FabricTestApplication.class,
    properties = {
      "weft.tables.migration-peer-timeout=1s",
      // Only this test sweeps.
      "weft.tables.migration-sweep-interval=1h"
    })
class MigrationLockOrderOnPostgresTest {

  @RegisterExtension static final PostgresClassDatabase db = new PostgresClassDatabase();

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    db.addDataSource(registry::add);
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
      // The source's table row, as the source's report holds it while it commits (after its host
      // and migration rows).
      RowLocks.holdHostTableRow(report, m.source());
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

  /**
   * A report does not wait for a switched migration another transaction holds: that one decides it,
   * or a later report or sweep does. Waiting deadlocked reports with each other by the hundred when
   * 50 migrations were in flight at once.
   */
  @Test
  void aReportLeavesAMigrationAnotherTransactionHoldsToItAndItStillFinishes() throws Exception {
    SilentPeerMigration m = SilentPeerMigration.start(ctx, tables, "10.7.0");
    Thread.sleep(1_200); // past the peer timeout: any report would now drop the source's port

    try (Connection holder = dataSource.getConnection()) {
      RowLocks.lockRow(holder, "fabric_table_moving", "vm_id", m.mover().id().value());
      CompletableFuture<Void> report =
          CompletableFuture.runAsync(() -> m.agents().report(m.source()));
      report.get(5, TimeUnit.SECONDS); // it waited for the holder before
      assertThat(phase()).isEqualTo("RECORDS_SWITCHED");
      holder.rollback();
    }

    m.agents().report(m.source());
    assertThat(phase()).isEqualTo("DONE");
  }

  /**
   * A migration to a host, or a drain, locks the host's row and then, as it commits, the VM's
   * migration row. A report from that host must wait for the host row before it locks any migration
   * row; the other way round the two deadlocked.
   */
  @Test
  void aReportTakesItsHostRowBeforeAnyMigrationRow() throws Exception {
    Cloud cloud = new Cloud(ctx).build(3, "VXLAN").ready();
    SimAgents agents = new SimAgents(tables);
    Subnet s = cloud.subnet(cloud.network("order"), "s", "10.9.0.0/24", false);
    Vm mover = cloud.vm("mover", List.of(Cloud.staticNic(s, "10.9.0.10")));
    HostId destination = cloud.hostIds.get(1);
    cloud.placeOn(mover, cloud.hostIds.get(0));
    for (int i = 0; i < 4; i++) {
      cloud.hostIds.forEach(agents::syncAndReport);
    }
    cloud.vms.migrate(Cloud.OPERATOR, mover.id(), destination);
    agents.sync(destination); // its report would now lock the mover's migration row

    CompletableFuture<Void> report;
    try (Connection migration = dataSource.getConnection();
        Connection probe = dataSource.getConnection()) {
      // What a migration to the destination holds from its start.
      RowLocks.lockRow(migration, "fabric_host", "id", destination.value());
      report = CompletableFuture.runAsync(() -> agents.report(destination));
      RowLocks.awaitASessionWaitingOnALock(probe, "the report never waited for the host row");

      // throws if the waiting report held it
      RowLocks.lockRowNowait(probe, "fabric_table_moving", "vm_id", mover.id().value());
      probe.rollback();
      migration.rollback();
    }
    report.get(30, TimeUnit.SECONDS);
    assertThat(phase()).isEqualTo("RECORDS_SWITCHED");
  }

  private String phase() {
    return tables.migrations(Cloud.OPERATOR, 1).getFirst().phase();
  }
}
