package io.weft.diagnostics.audit;

import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs the drift audit every {@code weft.diagnostics.drift-interval} (10 s; 0 turns it off) in this
 * process until the IPAM reconciliation's Quartz scheduler takes such jobs over: {@link #runOnce}
 * is the whole job. On PostgreSQL a transaction-scoped advisory lock lets one replica at a time run
 * it; the others skip that round.
 */
@Component
class DriftSchedule implements SmartLifecycle {

  /** Advisory lock key: "weftdrif" in ASCII, unlikely to collide with anyone else's. */
  static final long LOCK_KEY = 0x7765667464726966L;

  private static final Logger log = LoggerFactory.getLogger(DriftSchedule.class);

  private final DriftAuditService audit;
  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final Duration interval;
  private final boolean postgres;
  private ScheduledExecutorService executor;

  DriftSchedule(
      DriftAuditService audit,
      JdbcClient jdbc,
      TransactionTemplate transactions,
      DataSource dataSource,
      @Value("${weft.diagnostics.drift-interval:10s}") Duration interval) {
    this.audit = audit;
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.interval = interval;
    this.postgres = isPostgres(dataSource);
  }

  private static boolean isPostgres(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
    } catch (Exception e) {
      return false;
    }
  }

  /**
   * One round: audits and stores, unless another replica holds the lock.
   *
   * @return whether this replica ran the audit
   */
  boolean runOnce() {
    if (!postgres) {
      audit.runScheduled();
      return true;
    }
    Boolean ran =
        transactions.execute(tx -> {
          Boolean locked =
              jdbc.sql("SELECT pg_try_advisory_xact_lock(:key)")
                  .param("key", LOCK_KEY)
                  .query(Boolean.class)
                  .single();
          if (!Boolean.TRUE.equals(locked)) {
            return false;
          }
          audit.runScheduled();
          return true;
        });
    return Boolean.TRUE.equals(ran);
  }

  private void safely() {
    try {
      runOnce();
    } catch (RuntimeException e) {
      log.warn("drift audit failed; next round in {}", interval, e);
    }
  }

  @Override
  public synchronized void start() {
    if (interval.isZero() || interval.isNegative() || executor != null) {
      return;
    }
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("weft-drift-audit").unstarted(r));
    long millis = interval.toMillis();
    executor.scheduleWithFixedDelay(this::safely, millis, millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return executor != null;
  }
}
