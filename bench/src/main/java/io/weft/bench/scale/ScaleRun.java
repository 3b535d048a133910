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
   * Transactions, statements, table scans and row writes of this database at one moment, its
   * connections, and how many of the transactions, statements and scans were this harness's own
   * (subtracted in {@link #since}). Statements come from pg_stat_statements (every statement a
   * client ran, BEGIN and COMMIT included, counted once per execution; -1 where it is not loaded:
   * it needs shared_preload_libraries and a server restart); scans (sequential plus index, from
   * pg_stat_user_tables) count every inner probe of a nested-loop join, so they are not statements.
   */
  record DbLoad(
      long nanos,
      long transactions,
      long statements,
      long control,
      long scans,
      long rowsWritten,
      int connections,
      long ownQueries,
      long ownScans) {

    double transactionsPerSecondSince(DbLoad earlier) {
      return (transactions - earlier.transactions - (ownQueries - earlier.ownQueries))
          / seconds(earlier);
    }

    /** Statements/s, or -1 without pg_stat_statements. */
    double statementsPerSecondSince(DbLoad earlier) {
      if (statements < 0 || earlier.statements < 0) {
        return -1;
      }
      return (statements - earlier.statements - (ownQueries - earlier.ownQueries))
          / seconds(earlier);
    }

    /** Of the statements/s, BEGIN, COMMIT, ROLLBACK, SET and SHOW (transaction control). */
    double controlPerSecondSince(DbLoad earlier) {
      return (control - earlier.control) / seconds(earlier);
    }

    double scansPerSecondSince(DbLoad earlier) {
      return (scans - earlier.scans - (ownScans - earlier.ownScans)) / seconds(earlier);
    }

    double rowsWrittenPerSecondSince(DbLoad earlier) {
      return (rowsWritten - earlier.rowsWritten) / seconds(earlier);
    }

    private double seconds(DbLoad earlier) {
      return (nanos - earlier.nanos) / 1e9;
    }

    String since(DbLoad earlier) {
      double statements = statementsPerSecondSince(earlier);
      return ("%.0f transactions/s, %s, %.0f table scans/s (index probes included), %.0f rows"
              + " written/s, %d connections (the harness's own queries excluded)")
          .formatted(
              transactionsPerSecondSince(earlier),
              statements < 0
                  ? "statements/s not measured (pg_stat_statements not loaded)"
                  : "%.0f statements/s (%.0f of them BEGIN/COMMIT/SET/SHOW)"
                      .formatted(statements, controlPerSecondSince(earlier)),
              scansPerSecondSince(earlier),
              rowsWrittenPerSecondSince(earlier),
              connections);
    }
  }

  private final Connection connection;
  private final Map<UUID, Integer> agentOfHost;

  /** Queries this harness ran (each one transaction and one statement). */
  private long ownQueries;

  /** Of those, the ones on user tables (each also one scan). */
  private long ownScans;

  /** Whether pg_stat_statements answers in this database. */
  private final boolean statementsLoaded;

  ScaleRun(String url, String user, String password, List<String> hostIds) throws SQLException {
    this.connection = DriverManager.getConnection(url, user, password);
    this.statementsLoaded = statementsView(connection);
    this.agentOfHost = new HashMap<>();
    for (int i = 0; i < hostIds.size(); i++) {
      agentOfHost.put(UUID.fromString(hostIds.get(i)), i);
    }
  }

  /** Every simulated host's intended generation, by agent index. */
  synchronized long[] generations() throws SQLException {
    ownQueries++;
    ownScans++;
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
    ownQueries++;
    ownScans++;
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM fabric_table_moving")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Committed and rolled-back transactions, statements, scans and row writes so far. */
  synchronized DbLoad load() throws SQLException {
    long transactions;
    long scans;
    long rows;
    int connections;
    ownQueries++;
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
      transactions = rs.getLong(1);
      connections = rs.getInt(2);
      scans = rs.getLong(3);
      rows = rs.getLong(4);
    }
    long statements = -1;
    long control = 0;
    if (statementsLoaded) {
      ownQueries++;
      try (Statement s = connection.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT coalesce(sum(calls), 0), coalesce(sum(calls) FILTER (WHERE query ~*"
                      + " '^\\s*(begin|commit|rollback|set|show|start|savepoint|release)'), 0)"
                      + " FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid"
                      + " WHERE d.datname = current_database()")) {
        rs.next();
        statements = rs.getLong(1);
        control = rs.getLong(2);
      }
    }
    return new DbLoad(
        System.nanoTime(),
        transactions,
        statements,
        control,
        scans,
        rows,
        connections,
        ownQueries,
        ownScans);
  }

  /**
   * Calls so far of each statement of this database (pg_stat_statements, by query text); empty
   * where it is not loaded.
   */
  synchronized Map<String, Long> callsByStatement() throws SQLException {
    Map<String, Long> calls = new HashMap<>();
    if (!statementsLoaded) {
      return calls;
    }
    ownQueries++;
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT s.query, sum(s.calls) FROM pg_stat_statements s JOIN pg_database d"
                    + " ON d.oid = s.dbid WHERE d.datname = current_database() GROUP BY s.query")) {
      while (rs.next()) {
        calls.put(rs.getString(1), rs.getLong(2));
      }
    }
    return calls;
  }

  /** Whether pg_stat_statements is loaded; creates its view in this database if it is. */
  private static boolean statementsView(Connection c) {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
      s.executeQuery("SELECT count(*) FROM pg_stat_statements").close();
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  boolean statementsLoaded() {
    return statementsLoaded;
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
