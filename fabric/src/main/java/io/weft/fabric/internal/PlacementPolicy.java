package io.weft.fabric.internal;

import io.weft.fabric.Host;
import io.weft.fabric.HostId;
import io.weft.fabric.HostState;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Spread placement: the READY host with the most free VM slots (ties by name), so load evens out
 * and a host failure takes down as few VMs as possible. The chosen host's row is locked and its
 * count re-read, so two concurrent placements cannot overfill it.
 *
 * <p>The lock is held until the placing transaction commits (its tables are compiled first), so
 * concurrent placements must not all queue on the one host they all rank first: a burst of 100 VM
 * creates committed over 14 s that way, one after the other ({@code ./weft bench scale},
 * docs/benchmarks.md). Each placement takes the best-ranked host that no other transaction holds
 * right now ({@code FOR UPDATE SKIP LOCKED}, one row at a time: H2 applies a row limit before it
 * skips locked rows); only when every host with room is held does it wait for them in rank order,
 * and the re-read after the wait decides. A burst thus spreads over as many hosts as it has
 * placements, each still the least loaded that was free to take.
 */
@Component
class PlacementPolicy {

  /** How many of the best-ranked hosts a placement tries without waiting. */
  static final int CANDIDATES = 256;

  private final JdbcClient jdbc;

  /**
   * How a host's row is locked. On PostgreSQL {@code FOR NO KEY UPDATE}: it serializes placements
   * on the host as {@code FOR UPDATE} does, but not the foreign key checks of rows that name the
   * host (every change-log row of a change reaching the host: {@code fabric_table_log.host_id}),
   * which {@code FOR UPDATE} blocks. Two placements, each holding its host's row for update and
   * then logging a delta for the other's host, deadlocked so (seen in the scale bench's burst), and
   * every change reaching a host waited for the placement holding it. H2 has only {@code FOR
   * UPDATE} (and its foreign key checks take no row locks).
   */
  private final String forUpdate;

  PlacementPolicy(JdbcClient jdbc, DataSource dataSource) {
    this.jdbc = jdbc;
    this.forUpdate = isPostgres(dataSource) ? "FOR NO KEY UPDATE" : "FOR UPDATE";
  }

  private static boolean isPostgres(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    } catch (SQLException e) {
      return false;
    }
  }

  Optional<Host> choose(HostId excluded) {
    List<UUID> ranked = candidates(excluded);
    for (UUID candidate : ranked) {
      Optional<Host> taken = lockIfFree(candidate);
      if (taken.isPresent()) {
        return taken;
      }
    }
    // Every candidate is held by another transaction (more concurrent placements than hosts with
    // room, or none left): wait for each in turn; the re-read after the wait says if it has room.
    for (UUID candidate : ranked) {
      if (lockAndRecheck(new HostId(candidate))) {
        return read(candidate);
      }
    }
    return Optional.empty();
  }

  /** Whether the host can take one more VM; locks its row for the rest of the transaction. */
  boolean lockAndRecheck(HostId host) {
    lock(host);
    return read(host.value()).isPresent();
  }

  /** Locks the host's row for the rest of the transaction. */
  void lock(HostId host) {
    jdbc.sql("SELECT id FROM fabric_host WHERE id = :id " + forUpdate)
        .param("id", host.value())
        .query(Object.class)
        .optional();
  }

  /** The host, locked for this transaction, if no other transaction holds it and it has room. */
  private Optional<Host> lockIfFree(UUID host) {
    boolean locked =
        jdbc.sql("SELECT id FROM fabric_host WHERE id = :id " + forUpdate + " SKIP LOCKED")
            .param("id", host)
            .query(Object.class)
            .optional()
            .isPresent();
    return locked ? read(host) : Optional.empty();
  }

  /**
   * The host as it is now (committed by others, or written by this transaction), if it has room.
   */
  private Optional<Host> read(UUID host) {
    return jdbc.sql(HostRecord.SELECT + " WHERE h.id = :id")
        .param("id", host)
        .query(HostRecord::map)
        .optional()
        .filter(h -> h.state() == HostState.READY && h.vmCount() < h.vmSlots());
  }

  /** The best-ranked READY hosts with room, as committed when the placement started; unlocked. */
  private List<UUID> candidates(HostId excluded) {
    String sql =
        "SELECT id FROM fabric_host WHERE state = 'READY' AND vm_count < vm_slots"
            + (excluded == null ? "" : " AND id <> :excluded")
            + " ORDER BY vm_slots - vm_count DESC, name FETCH FIRST "
            + CANDIDATES
            + " ROWS ONLY";
    JdbcClient.StatementSpec query = jdbc.sql(sql);
    if (excluded != null) {
      query = query.param("excluded", excluded.value());
    }
    return query.query(UUID.class).list();
  }
}
