package io.weft.fabric.tables.internal;

import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Finishes live migrations that no report would finish. The source drops its port once every live
 * peer applied the switch or the peer timeout passed, and that is decided when an agent reports. If
 * the last peer to report dies and no agent reports again (a quiet or failing cloud), the source
 * would keep the port for good. Every {@code weft.tables.migration-sweep-interval} (default 5 s)
 * this decides again for the migrations waiting on their peers, in a transaction of its own. Every
 * replica sweeps; the steps are conditional updates under the migrations' row locks, so a migration
 * is finished once.
 */
@Component
class MigrationSweeper implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(MigrationSweeper.class);

  /** PostgreSQL's SQLSTATE for a lock timeout, which Spring leaves uncategorised. */
  private static final String LOCK_NOT_AVAILABLE = "55P03";

  private final MigrationCoordinator migrations;
  private final TablePipeline pipeline;
  private final TransactionTemplate write;
  private final Duration interval;
  private final FixedDelayTimer timer;

  MigrationSweeper(
      MigrationCoordinator migrations,
      TablePipeline pipeline,
      PlatformTransactionManager transactions,
      @Value("${weft.tables.migration-sweep-interval:5s}") Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException(
          "weft.tables.migration-sweep-interval must be positive, not " + interval);
    }
    this.migrations = migrations;
    this.pipeline = pipeline;
    this.write = new TransactionTemplate(transactions);
    this.interval = interval;
    this.timer =
        new FixedDelayTimer(
            "weft-migration-sweep", interval, FixedDelayTimer.OnStop.INTERRUPT, this::sweepQuietly);
  }

  /**
   * Decides, for every migration waiting on its peers, whether its source may drop the port; a
   * {@link CannotAcquireLockException} when it gave way to a report.
   */
  void sweep() {
    if (!migrations.anyAwaitingPeers()) {
      return;
    }
    try {
      write.executeWithoutResult(status -> {
        migrations.lockAwaitingPeersYieldingToReports();
        migrations.dropSourcesWherePeersAreDone(pipeline.current());
      });
    } catch (DataAccessException e) {
      if (e.getMostSpecificCause() instanceof SQLException sql
          && LOCK_NOT_AVAILABLE.equals(sql.getSQLState())) {
        throw new CannotAcquireLockException("the migration sweep gave way to a report", e);
      }
      throw e;
    }
  }

  private void sweepQuietly() {
    try {
      sweep();
    } catch (PessimisticLockingFailureException e) {
      // A report held a lock we need and we gave way: it decides the same migrations.
      LOG.debug("migration sweep gave way to a report", e);
    } catch (RuntimeException e) {
      // The database is busy or unreachable: the next sweep, or a report, decides instead.
      LOG.warn("migration sweep failed; trying again in {}", interval, e);
    }
  }

  @Override
  public void start() {
    timer.start();
  }

  @Override
  public void stop() {
    timer.stop();
  }

  @Override
  public boolean isRunning() {
    return timer.isRunning();
  }
}
