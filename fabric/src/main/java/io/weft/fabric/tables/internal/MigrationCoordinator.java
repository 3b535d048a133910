package io.weft.fabric.tables.internal;

import io.weft.fabric.FabricEvent;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Make-before-break for live migrations. A move puts the port on the destination while every other
 * host keeps the source's PA ({@link MigrationPhase#PORT_ON_DEST}); the destination's report that
 * it applied that generation switches the peers ({@link MigrationPhase#RECORDS_SWITCHED}); once
 * every live peer reported the switch, or the wait timed out, the source drops its port. Each step
 * only changes {@code fabric_table_moving} and marks the VM dirty: the compiler derives the tables.
 * Steps are conditional updates, so two replicas handling reports at once take a step only once.
 */
@Component
class MigrationCoordinator {

  /** How long a sweep waits for a lock before it gives way (PostgreSQL's deadlock timeout: 1 s). */
  static final int SWEEP_LOCK_TIMEOUT_MILLIS = 200;

  private final JdbcClient jdbc;
  private final DatabaseKind database;
  private final Clock clock;
  private final Duration peerTimeout;
  private final Duration liveness;

  MigrationCoordinator(
      JdbcClient jdbc,
      DatabaseKind database,
      Clock clock,
      @Value("${weft.tables.migration-peer-timeout:10s}") Duration peerTimeout,
      @Value("${weft.tables.agent-liveness:90s}") Duration liveness) {
    this.jdbc = jdbc;
    this.database = database;
    this.clock = clock;
    this.peerTimeout = peerTimeout;
    this.liveness = liveness;
  }

  private record Moving(UUID vm, UUID migration, UUID from, UUID to, MigrationPhase phase) {}

  /** Before compiling: start migrations for moves, forget those of deleted VMs and hosts. */
  void beforeCompile(ChangeSet cs) {
    // The migration rows this may end, locked in order first: a drain moves many VMs at once.
    Set<UUID> ending = new java.util.TreeSet<>(LockOrder.ROWS);
    ending.addAll(cs.deletedVms);
    cs.migrated.forEach(e -> ending.add(e.vmId().value()));
    for (UUID host : cs.removedHosts) {
      ending.addAll(
          jdbc.sql("SELECT vm_id FROM fabric_table_moving WHERE from_host = :h")
              .param("h", host)
              .query(UUID.class)
              .list());
    }
    for (UUID vm : ending) {
      jdbc.sql("SELECT vm_id FROM fabric_table_moving WHERE vm_id = :vm FOR UPDATE")
          .param("vm", vm)
          .query(UUID.class)
          .optional();
    }
    for (UUID vm : cs.deletedVms) {
      moving(vm).ifPresent(m -> finish(m, MigrationPhase.SUPERSEDED, "VM deleted"));
    }
    for (UUID host : cs.removedHosts) {
      for (UUID vm :
          jdbc.sql("SELECT vm_id FROM fabric_table_moving WHERE from_host = :h")
              .param("h", host)
              .query(UUID.class)
              .list()) {
        moving(vm).ifPresent(m -> finish(m, MigrationPhase.SUPERSEDED, "source host removed"));
        cs.vms.add(vm);
      }
    }
    for (FabricEvent.VmMigrated e : cs.migrated) {
      UUID vm = e.vmId().value();
      UUID to = e.to().value();
      UUID source = e.from().value();
      Optional<Moving> current = moving(vm);
      if (current.isPresent()) {
        Moving m = current.get();
        // Peers still point where the last migration published; that host keeps its port.
        source = m.phase() == MigrationPhase.PORT_ON_DEST ? m.from() : m.to();
        finish(m, MigrationPhase.SUPERSEDED, "superseded by a move to " + to);
      }
      UUID id = UUID.randomUUID();
      Timestamp now = Timestamp.from(clock.instant());
      boolean trivial = source.equals(to);
      jdbc.sql(
              "INSERT INTO fabric_table_migration (id, vm_id, from_host, to_host, phase, started_at,"
                  + " note) VALUES (:id, :vm, :from, :to, :phase, :at, :note)")
          .param("id", id)
          .param("vm", vm)
          .param("from", e.from().value())
          .param("to", to)
          .param("phase", (trivial ? MigrationPhase.DONE : MigrationPhase.PORT_ON_DEST).name())
          .param("at", now)
          .param("note", trivial ? "back on the host peers already use" : null)
          .update();
      if (!trivial) {
        jdbc.sql(
                "INSERT INTO fabric_table_moving (vm_id, migration_id, from_host, to_host, phase)"
                    + " VALUES (:vm, :id, :from, :to, 'PORT_ON_DEST')")
            .param("vm", vm)
            .param("id", id)
            .param("from", source)
            .param("to", to)
            .update();
        cs.startedMigrations.put(id, to);
      }
    }
  }

  /** After compiling: stamp each step with the generation that carries it. */
  void afterCompile(ChangeSet cs, Map<UUID, Long> generations) {
    cs.startedMigrations.forEach((id, dest) ->
        jdbc.sql("UPDATE fabric_table_migration SET dest_generation = :g WHERE id = :id")
            .param("g", generation(dest, generations))
            .param("id", id)
            .update());
    cs.switchedMigrations.forEach((id, vm) -> {
      UUID dest =
          jdbc.sql("SELECT to_host FROM fabric_table_migration WHERE id = :id")
              .param("id", id)
              .query(UUID.class)
              .single();
      Set<UUID> peers = peersOf(vm, dest);
      int count = 0;
      for (UUID peer : peers) {
        Long g = generations.get(peer);
        if (g != null) {
          jdbc.sql(
                  "INSERT INTO fabric_table_migration_peer (migration_id, host_id, generation)"
                      + " VALUES (:id, :h, :g)")
              .param("id", id)
              .param("h", peer)
              .param("g", g)
              .update();
          count++;
        }
      }
      jdbc.sql("UPDATE fabric_table_migration SET peers = :p WHERE id = :id")
          .param("p", count)
          .param("id", id)
          .update();
    });
    cs.droppedMigrations.forEach((id, source) ->
        jdbc.sql("UPDATE fabric_table_migration SET source_generation = :g WHERE id = :id")
            .param("g", generation(source, generations))
            .param("id", id)
            .update());
  }

  /**
   * In an agent's report transaction, right after its host row and before it writes anything else:
   * locks the in-flight migrations this report may advance (their {@code fabric_table_moving} rows,
   * in {@link LockOrder}). Peers of one migration usually report at the same moment; without the
   * lock the last two could each count the other as pending, and the source would keep its port
   * until some unrelated later report or the peer timeout. The order is the one a migration, a
   * drain and the sweeper keep: host rows ({@code fabric_host}), then migration rows, then table
   * rows ({@code fabric_table_host}, which the report writes and the steps it takes bump, in order,
   * when the transaction commits). A report also takes switched migrations that no other
   * transaction holds (SKIP LOCKED): out of order, but it never waits for those.
   */
  void lockWaitingOn(UUID host, long generation) {
    for (UUID vm :
        jdbc
            .sql(
                "SELECT m.vm_id FROM fabric_table_moving m WHERE m.to_host = :h"
                    + " AND m.phase = 'PORT_ON_DEST' UNION SELECT m.vm_id FROM"
                    + " fabric_table_migration_peer p JOIN fabric_table_moving m"
                    + " ON m.migration_id = p.migration_id WHERE p.host_id = :h"
                    + " AND p.generation <= :g AND p.applied_at IS NULL")
            .param("h", host)
            .param("g", generation)
            .query(UUID.class)
            .list()
            .stream()
            .sorted(LockOrder.ROWS)
            .toList()) {
      jdbc.sql("SELECT vm_id FROM fabric_table_moving WHERE vm_id = :vm FOR UPDATE")
          .param("vm", vm)
          .query(UUID.class)
          .optional();
    }
  }

  /** An agent applied {@code generation}: take every migration step that was waiting on it. */
  void onApplied(UUID host, long generation, ChangeSet cs) {
    Timestamp now = Timestamp.from(clock.instant());
    // 1. Destination has the port: switch the peers.
    for (Moving m : movingWhere("to_host = :h AND phase = 'PORT_ON_DEST'", host)) {
      Long destGen = migrationLong(m.migration(), "dest_generation");
      if (destGen == null || destGen > generation) {
        continue;
      }
      if (step(m.vm(), MigrationPhase.PORT_ON_DEST, MigrationPhase.RECORDS_SWITCHED)) {
        jdbc.sql(
                "UPDATE fabric_table_migration SET phase = 'RECORDS_SWITCHED',"
                    + " dest_applied_at = :at, switched_at = :at WHERE id = :id")
            .param("at", now)
            .param("id", m.migration())
            .update();
        cs.vms.add(m.vm());
        cs.switchedMigrations.put(m.migration(), m.vm());
      }
    }
    // 2. A peer applied the switch.
    jdbc.sql(
            "UPDATE fabric_table_migration_peer SET applied_at = :at"
                + " WHERE host_id = :h AND generation <= :g AND applied_at IS NULL")
        .param("at", now)
        .param("h", host)
        .param("g", generation)
        .update();
    // 3. Every live peer switched (or we waited long enough): the source drops its port.
    dropSourcesWherePeersAreDone(cs);
    // 4. The source applied the drop: measure how long any peer pointed at a host without the
    // vNIC. The destination had it before any peer was told (step 1 waits for its report), so
    // only a peer that applied the switch after the source dropped the port can count.
    measureStaleWindows(host, generation, now);
  }

  /**
   * Drops the source's port of every switched migration whose live peers all applied the switch, or
   * that waited longer than the peer timeout. Runs on every report and from {@link
   * MigrationSweeper}, so a migration whose last peer died finishes even when no agent reports.
   *
   * <p>A migration whose row another transaction holds is skipped: that one decides it (a peer's
   * report, which locked it first, the sweeper, a change to the VM), or the next report or sweep.
   * Waiting for it, out of order (after the report's own table row then), deadlocked reports by the
   * hundred with 50 migrations in flight ({@code ./weft bench scale}'s burst, docs/benchmarks.md).
   */
  void dropSourcesWherePeersAreDone(ChangeSet cs) {
    Instant live = clock.instant().minus(liveness);
    Instant timeout = clock.instant().minus(peerTimeout);
    for (Moving m : likelyDone(live, timeout)) {
      if (cs.switchedMigrations.containsKey(m.migration())) {
        continue; // its peers are recorded when this transaction compiles; they cannot have applied
      }
      if (!takeIfFree(m.vm())) {
        continue;
      }
      long pending =
          jdbc.sql(
                  "SELECT count(*) FROM fabric_table_migration_peer p"
                      + " JOIN fabric_host h ON h.id = p.host_id WHERE p.migration_id = :id"
                      + " AND p.applied_at IS NULL AND h.last_seen_at >= :live")
              .param("id", m.migration())
              .param("live", Timestamp.from(live))
              .query(Long.class)
              .single();
      Instant switched = migrationInstant(m.migration(), "switched_at");
      boolean timedOut = switched != null && switched.isBefore(timeout);
      if (pending == 0 || timedOut) {
        if (step(m.vm(), MigrationPhase.RECORDS_SWITCHED, null)) {
          // A fresh instant, not the transaction's start: every peer report counted above
          // committed before this moment, so the timeline orders drop after the last switch.
          Timestamp decided = Timestamp.from(clock.instant());
          jdbc.sql(
                  "UPDATE fabric_table_migration SET phase = 'DONE', source_dropped_at = :at,"
                      + " peers_applied_at = (SELECT max(applied_at) FROM"
                      + " fabric_table_migration_peer WHERE migration_id = :id), note = :note"
                      + " WHERE id = :id")
              .param("at", decided)
              .param("id", m.migration())
              .param("note", pending == 0 ? null : "timed out waiting for " + pending + " peer(s)")
              .update();
          cs.vms.add(m.vm());
          cs.droppedMigrations.put(m.migration(), m.from());
        }
      }
    }
  }

  /**
   * The switched migrations whose live peers had all applied the switch, or that waited past the
   * peer timeout, when this statement began; unlocked, so each is counted again once locked. One
   * statement for every report: deciding each of the migrations waiting on their peers in turn (a
   * lock, a count and a read each) cost a report about three statements per migration in flight,
   * when only the report's own peers' and the timed-out migrations can have become due.
   */
  private List<Moving> likelyDone(Instant live, Instant timeout) {
    return jdbc.sql(
            "SELECT m.* FROM fabric_table_moving m JOIN fabric_table_migration g"
                + " ON g.id = m.migration_id WHERE m.phase = 'RECORDS_SWITCHED'"
                + " AND (g.switched_at < :timeout OR NOT EXISTS (SELECT 1 FROM"
                + " fabric_table_migration_peer p JOIN fabric_host h ON h.id = p.host_id"
                + " WHERE p.migration_id = m.migration_id AND p.applied_at IS NULL"
                + " AND h.last_seen_at >= :live))")
        .param("timeout", Timestamp.from(timeout))
        .param("live", Timestamp.from(live))
        .query(MigrationCoordinator::moving)
        .list();
  }

  /** True when some migration waits for its peers to apply the switch. */
  boolean anyAwaitingPeers() {
    return jdbc.sql("SELECT count(*) FROM fabric_table_moving WHERE phase = 'RECORDS_SWITCHED'")
            .query(Long.class)
            .single()
        > 0;
  }

  /**
   * For the sweeper: locks the migrations waiting for their peers, in {@link LockOrder} ({@code
   * ORDER BY vm_id} is the same order), as {@link #lockWaitingOn} does for a report, and makes this
   * transaction give way to reports. Both then take host table rows only when they commit, in
   * order, so the two should not deadlock; should they ever meet otherwise, the sweep is the one to
   * give up (a short lock timeout on PostgreSQL, below its deadlock timeout of 1 s): a report
   * decides the same migrations, and the next sweep tries again.
   */
  void lockAwaitingPeersYieldingToReports() {
    if (database.isPostgres()) {
      jdbc.sql("SET LOCAL lock_timeout = '" + SWEEP_LOCK_TIMEOUT_MILLIS + "ms'").update();
    }
    jdbc.sql(
            "SELECT vm_id FROM fabric_table_moving WHERE phase = 'RECORDS_SWITCHED'"
                + " ORDER BY vm_id FOR UPDATE")
        .query(UUID.class)
        .list();
  }

  private void measureStaleWindows(UUID host, long generation, Timestamp now) {
    for (UUID id :
        jdbc.sql(
                "SELECT id FROM fabric_table_migration WHERE from_host = :h AND phase = 'DONE'"
                    + " AND source_generation <= :g AND source_applied_at IS NULL")
            .param("h", host)
            .param("g", generation)
            .query(UUID.class)
            .list()) {
      jdbc.sql("UPDATE fabric_table_migration SET source_applied_at = :at WHERE id = :id")
          .param("at", now)
          .param("id", id)
          .update();
      Instant dropped = migrationInstant(id, "source_dropped_at");
      Instant lastPeer = migrationInstant(id, "peers_applied_at");
      long window =
          lastPeer == null || dropped == null
              ? 0
              : Math.max(0, Duration.between(dropped, lastPeer).toMillis());
      jdbc.sql("UPDATE fabric_table_migration SET stale_window_ms = :w WHERE id = :id")
          .param("w", window)
          .param("id", id)
          .update();
    }
  }

  private Set<UUID> peersOf(UUID vm, UUID dest) {
    Set<UUID> peers =
        new java.util.TreeSet<>(
            jdbc.sql(
                    "SELECT DISTINCT sp.host_id FROM fabric_table_span sp WHERE sp.vm_network_id IN"
                        + " (SELECT vm_network_id FROM fabric_table_vnic WHERE vm_id = :vm)")
                .param("vm", vm)
                .query(UUID.class)
                .list());
    peers.remove(dest);
    return peers;
  }

  private static long generation(UUID host, Map<UUID, Long> generations) {
    Long g = generations.get(host);
    return g == null ? 0 : g;
  }

  /** Locks a switched migration's row unless another transaction holds it. */
  private boolean takeIfFree(UUID vm) {
    return jdbc.sql(
            "SELECT vm_id FROM fabric_table_moving WHERE vm_id = :vm AND phase = 'RECORDS_SWITCHED'"
                + " FOR UPDATE SKIP LOCKED")
        .param("vm", vm)
        .query(UUID.class)
        .optional()
        .isPresent();
  }

  private boolean step(UUID vm, MigrationPhase from, MigrationPhase to) {
    if (to == null) {
      return jdbc.sql("DELETE FROM fabric_table_moving WHERE vm_id = :vm AND phase = :p")
              .param("vm", vm)
              .param("p", from.name())
              .update()
          == 1;
    }
    return jdbc.sql("UPDATE fabric_table_moving SET phase = :to WHERE vm_id = :vm AND phase = :p")
            .param("to", to.name())
            .param("vm", vm)
            .param("p", from.name())
            .update()
        == 1;
  }

  private void finish(Moving m, MigrationPhase phase, String note) {
    jdbc.sql("DELETE FROM fabric_table_moving WHERE vm_id = :vm").param("vm", m.vm()).update();
    jdbc.sql("UPDATE fabric_table_migration SET phase = :p, note = :n WHERE id = :id")
        .param("p", phase.name())
        .param("n", note)
        .param("id", m.migration())
        .update();
  }

  private Optional<Moving> moving(UUID vm) {
    return movingWhere("vm_id = :h", vm).stream().findFirst();
  }

  private List<Moving> movingWhere(String where, UUID param) {
    var spec = jdbc.sql("SELECT * FROM fabric_table_moving WHERE " + where);
    if (param != null) {
      spec = spec.param("h", param);
    }
    return spec.query(MigrationCoordinator::moving).list();
  }

  private static Moving moving(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new Moving(
        rs.getObject("vm_id", UUID.class),
        rs.getObject("migration_id", UUID.class),
        rs.getObject("from_host", UUID.class),
        rs.getObject("to_host", UUID.class),
        MigrationPhase.valueOf(rs.getString("phase")));
  }

  private Long migrationLong(UUID id, String column) {
    return jdbc.sql("SELECT " + column + " FROM fabric_table_migration WHERE id = :id")
        .param("id", id)
        .query((rs, n) -> (Long) rs.getObject(1, Long.class))
        .list()
        .getFirst();
  }

  private Instant migrationInstant(UUID id, String column) {
    return jdbc.sql("SELECT " + column + " FROM fabric_table_migration WHERE id = :id")
        .param("id", id)
        .query((rs, n) -> {
          Timestamp t = rs.getTimestamp(1);
          return t == null ? null : t.toInstant();
        })
        .list()
        .getFirst();
  }
}
