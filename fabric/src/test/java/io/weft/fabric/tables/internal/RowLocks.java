package io.weft.fabric.tables.internal;

import io.weft.fabric.HostId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Row locks taken by hand on PostgreSQL from a connection of the test's own, so that its
 * transactions meet the fabric's in the order a test needs (a deadlock, a lock given way to). Each
 * lock opens the connection's transaction if none is open; the test rolls it back.
 */
final class RowLocks {

  private RowLocks() {}

  /**
   * Holds {@code host}'s table row, as a transaction that writes it does until it ends: a change
   * that bumps the host's generation, or an agent's report, which writes its own row as it commits
   * (in {@link LockOrder} with the rows its migration steps bump).
   */
  static void holdHostTableRow(Connection tx, HostId host) throws SQLException {
    tx.setAutoCommit(false);
    try (PreparedStatement report =
        tx.prepareStatement("UPDATE fabric_table_host SET reported_at = now() WHERE host_id = ?")) {
      report.setObject(1, host.value());
      report.executeUpdate();
    }
  }

  /** Locks the row of {@code table} whose {@code column} is {@code id} (FOR UPDATE). */
  static void lockRow(Connection tx, String table, String column, UUID id) throws SQLException {
    lock(tx, table, column, id, "");
  }

  /** As {@link #lockRow}, but throws at once if another transaction holds the row. */
  static void lockRowNowait(Connection tx, String table, String column, UUID id)
      throws SQLException {
    lock(tx, table, column, id, " NOWAIT");
  }

  private static void lock(Connection tx, String table, String column, UUID id, String nowait)
      throws SQLException {
    tx.setAutoCommit(false);
    try (PreparedStatement row =
        tx.prepareStatement(
            "SELECT "
                + column
                + " FROM "
                + table
                + " WHERE "
                + column
                + " = ? FOR UPDATE"
                + nowait)) {
      row.setObject(1, id);
      row.executeQuery().close();
    }
  }

  /**
   * Waits (30 s at most) until some session of the test's database waits for a lock; fails saying
   * {@code never} otherwise.
   */
  static void awaitASessionWaitingOnALock(Connection probe, String never) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try (PreparedStatement waiting =
        probe.prepareStatement(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND wait_event_type = 'Lock'")) {
      while (System.nanoTime() < deadline) {
        try (var rows = waiting.executeQuery()) {
          rows.next();
          if (rows.getInt(1) > 0) {
            return;
          }
        }
        Thread.sleep(10);
      }
    }
    throw new AssertionError(never);
  }
}
