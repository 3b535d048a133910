package io.weft.bench.scale;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The database side of the scale run: every host's intended generation (to find which hosts a
 * change bumped and to which generation), in-flight migrations, and the load PostgreSQL reports.
 */
final class ScaleRun implements AutoCloseable {

  /**
   * Transactions, table scans and row writes of this database at one moment, and its connections.
   * Without pg_stat_statements (it needs a server restart with shared_preload_libraries), scans
   * (sequential plus index, from pg_stat_user_tables) stand in for reading statements: every
   * SELECT, UPDATE or DELETE scans at least one table once, a join one per table joined.
   */
  record DbLoad(long nanos, long transactions, long scans, long rowsWritten, int connections) {

    double transactionsPerSecondSince(DbLoad earlier) {
      return (transactions - earlier.transactions) / seconds(earlier);
    }

    double scansPerSecondSince(DbLoad earlier) {
      return (scans - earlier.scans) / seconds(earlier);
    }

    double rowsWrittenPerSecondSince(DbLoad earlier) {
      return (rowsWritten - earlier.rowsWritten) / seconds(earlier);
    }

    private double seconds(DbLoad earlier) {
      return (nanos - earlier.nanos) / 1e9;
    }

    String since(DbLoad earlier) {
      return ("%.0f transactions/s, %.0f table scans/s (index probes included), %.0f rows"
              + " written/s, %d connections (the harness's own reads excluded)")
          .formatted(
              transactionsPerSecondSince(earlier),
              scansPerSecondSince(earlier),
              rowsWrittenPerSecondSince(earlier),
              connections);
    }
  }

  private final Connection connection;
  private final Map<UUID, Integer> agentOfHost;

  /** Queries this harness ran on user tables (each one transaction, one scan). */
  private long own;

  ScaleRun(String url, String user, String password, List<String> hostIds) throws SQLException {
    this.connection = DriverManager.getConnection(url, user, password);
    this.agentOfHost = new HashMap<>();
    for (int i = 0; i < hostIds.size(); i++) {
      agentOfHost.put(UUID.fromString(hostIds.get(i)), i);
    }
  }

  /** Every simulated host's intended generation, by agent index. */
  synchronized long[] generations() throws SQLException {
    own++;
    long[] out = new long[agentOfHost.size()];
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT host_id, generation FROM fabric_table_host")) {
      while (rs.next()) {
        Integer agent = agentOfHost.get(rs.getObject(1, UUID.class));
        if (agent != null) {
          out[agent] = rs.getLong(2);
        }
      }
    }
    return out;
  }

  /** Hosts whose generation moved between two readings, as (agent, generation) pairs. */
  static List<long[]> bumped(long[] before, long[] after) {
    List<long[]> out = new ArrayList<>();
    for (int i = 0; i < after.length; i++) {
      if (after[i] > before[i]) {
        out.add(new long[] {i, after[i]});
      }
    }
    return out;
  }

  synchronized int migrationsInFlight() throws SQLException {
    own++;
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM fabric_table_moving")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Committed and rolled-back transactions, scans and row writes so far, and connections. */
  synchronized DbLoad load() throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT d.xact_commit + d.xact_rollback, d.numbackends,"
                    + " (SELECT coalesce(sum(coalesce(seq_scan, 0) + coalesce(idx_scan, 0)), 0)"
                    + "  FROM pg_stat_user_tables),"
                    + " (SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)"
                    + "  FROM pg_stat_user_tables)"
                    + " FROM pg_stat_database d WHERE d.datname = current_database()")) {
      rs.next();
      return new DbLoad(
          System.nanoTime(), rs.getLong(1), rs.getLong(3), rs.getLong(4), rs.getInt(2));
    }
  }

  /** Whether pg_stat_statements can be read here (it needs shared_preload_libraries). */
  synchronized long statementsCalls() {
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_database d"
                    + " ON d.oid = s.dbid WHERE d.datname = current_database()")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      return -1;
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
