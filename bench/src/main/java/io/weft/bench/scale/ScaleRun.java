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

  /** Transactions and connections of this database at one moment. */
  record DbLoad(long nanos, long transactions, int connections) {

    double transactionsPerSecondSince(DbLoad earlier) {
      return (transactions - earlier.transactions) / ((nanos - earlier.nanos) / 1e9);
    }
  }

  private final Connection connection;
  private final Map<UUID, Integer> agentOfHost;

  ScaleRun(String url, String user, String password, List<String> hostIds) throws SQLException {
    this.connection = DriverManager.getConnection(url, user, password);
    this.agentOfHost = new HashMap<>();
    for (int i = 0; i < hostIds.size(); i++) {
      agentOfHost.put(UUID.fromString(hostIds.get(i)), i);
    }
  }

  /** Every simulated host's intended generation, by agent index. */
  synchronized long[] generations() throws SQLException {
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
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM fabric_table_moving")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Committed and rolled-back transactions of this database so far, and its connections. */
  synchronized DbLoad load() throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT xact_commit + xact_rollback, numbackends FROM pg_stat_database"
                    + " WHERE datname = current_database()")) {
      rs.next();
      return new DbLoad(System.nanoTime(), rs.getLong(1), rs.getInt(2));
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
