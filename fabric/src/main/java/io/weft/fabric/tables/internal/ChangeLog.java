package io.weft.fabric.tables.internal;

import io.weft.dataplane.table.TableDelta;
import io.weft.dataplane.table.TableJson;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Per-host generations and change log, the distribution's source of truth. Appending bumps the
 * host's generation row, which also serialises concurrent writers of one host's table.
 */
@Component
class ChangeLog {

  /** One logged delta and the VM networks that joined the host with it. */
  record Entry(long generation, TableDelta delta, Set<UUID> joined) {}

  private final JdbcClient jdbc;
  private final JdbcTemplate batch;
  private final Clock clock;
  private final int retain;

  ChangeLog(
      JdbcClient jdbc,
      JdbcTemplate batch,
      Clock clock,
      @Value("${weft.tables.log-retain:256}") int retain) {
    this.jdbc = jdbc;
    this.batch = batch;
    this.clock = clock;
    this.retain = retain;
  }

  /** A new host starts at generation 1 with an empty (but complete) table. */
  void ensureHost(UUID host) {
    if (generation(host).isEmpty()) {
      jdbc.sql("INSERT INTO fabric_table_host (host_id, generation) VALUES (:h, 1)")
          .param("h", host)
          .update();
    }
  }

  Optional<Long> generation(UUID host) {
    return jdbc.sql("SELECT generation FROM fabric_table_host WHERE host_id = :h")
        .param("h", host)
        .query(Long.class)
        .optional();
  }

  /** As {@link #append(Map, Map)} with no other writes to the hosts' rows. */
  Map<UUID, Long> append(Map<UUID, HostChange> changes) {
    return append(changes, Map.of());
  }

  /**
   * Appends one delta per host, hosts in {@link LockOrder} so that two transactions touching the
   * same hosts lock their generation rows in the same order; returns each host's new generation.
   * {@code rowWrites} are the transaction's other writes to host table rows, each run at its host's
   * place in that order. One UPDATE per host (the lock, in order), then one read of the new
   * generations and one batch of log rows: a change that reaches a hundred hosts costs a hundred
   * small updates, not four hundred statements (each a round trip on PostgreSQL).
   */
  Map<UUID, Long> append(Map<UUID, HostChange> changes, Map<UUID, Runnable> rowWrites) {
    Map<UUID, Long> generations = new TreeMap<>();
    Timestamp now = Timestamp.from(clock.instant());
    List<UUID> hosts = new ArrayList<>();
    Set<UUID> ordered = new TreeSet<>(LockOrder.ROWS);
    ordered.addAll(changes.keySet());
    ordered.addAll(rowWrites.keySet());
    for (UUID host : ordered) {
      HostChange change = changes.get(host);
      if (change != null && !change.isEmpty()) {
        if (bump(host) == 0) {
          ensureHost(host);
          bump(host);
        }
        hosts.add(host);
      }
      Runnable write = rowWrites.get(host);
      if (write != null) {
        write.run();
      }
    }
    for (List<UUID> chunk : ModelReader.chunks(hosts)) {
      jdbc.sql("SELECT host_id, generation FROM fabric_table_host WHERE host_id IN (:ids)")
          .param("ids", chunk)
          .query((ResultSet rs) -> {
            generations.put(rs.getObject(1, UUID.class), rs.getLong(2));
          });
    }
    List<Object[]> rows = new ArrayList<>();
    List<Object[]> prune = new ArrayList<>();
    for (UUID host : hosts) {
      HostChange change = changes.get(host);
      long generation = generations.get(host);
      TableDelta delta =
          new TableDelta(generation - 1, generation, null, change.removed, change.changes);
      rows.add(
          new Object[] {
            host,
            generation,
            TableJson.mapper().writeValueAsString(delta),
            String.join(",", change.joined.stream().map(UUID::toString).toList()),
            now
          });
      if (generation % 32 == 0) {
        prune.add(new Object[] {host, generation - retain});
      }
    }
    batch.batchUpdate(
        "INSERT INTO fabric_table_log (host_id, generation, delta, joined, created_at)"
            + " VALUES (?, ?, ?, ?, ?)",
        rows);
    if (!prune.isEmpty()) {
      batch.batchUpdate(
          "DELETE FROM fabric_table_log WHERE host_id = ? AND generation <= ?", prune);
    }
    return generations;
  }

  private int bump(UUID host) {
    return jdbc.sql("UPDATE fabric_table_host SET generation = generation + 1 WHERE host_id = :h")
        .param("h", host)
        .update();
  }

  /** Entries after {@code since}, oldest first (possibly with gaps where the log was pruned). */
  List<Entry> since(UUID host, long since) {
    return jdbc.sql(
            "SELECT generation, delta, joined FROM fabric_table_log"
                + " WHERE host_id = :h AND generation > :g ORDER BY generation")
        .param("h", host)
        .param("g", since)
        .query((rs, n) ->
            new Entry(
                rs.getLong(1),
                TableJson.mapper().readValue(rs.getString(2), TableDelta.class),
                joined(rs.getString(3))))
        .list();
  }

  private static Set<UUID> joined(String text) {
    Set<UUID> out = new LinkedHashSet<>();
    if (text != null && !text.isBlank()) {
      Arrays.stream(text.split(",")).map(UUID::fromString).forEach(out::add);
    }
    return out;
  }

  /** Log sizes, for the benchmark and operators. */
  List<Long> entryCounts() {
    return new ArrayList<>(
        jdbc.sql("SELECT count(*) FROM fabric_table_log GROUP BY host_id")
            .query(Long.class)
            .list());
  }
}
