package io.weft.fabric.tables.internal;

import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.TableJson;
import io.weft.dataplane.table.TableMessage;
import io.weft.fabric.AccessDeniedException;
import io.weft.fabric.Caller;
import io.weft.fabric.HostId;
import io.weft.fabric.HostService;
import io.weft.fabric.HostState;
import io.weft.fabric.NotFoundException;
import io.weft.fabric.VmId;
import io.weft.fabric.tables.AgentReport;
import io.weft.fabric.tables.HostTableService;
import io.weft.fabric.tables.HostTableStatus;
import io.weft.fabric.tables.MigrationRecord;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** The host tables façade: reads at one instant, reports in one transaction. */
@Service
class JdbcHostTableService implements HostTableService {

  /** Room for per-port counters of a few thousand ports (V215); JSON is never cut in half. */
  private static final int MAX_COUNTERS = 1_000_000;

  /** The underlay column's size: an interface with a few dozen addresses; longer is not kept. */
  private static final int MAX_UNDERLAY = 4000;

  private final JdbcClient jdbc;
  private final TableDistribution distribution;
  private final MigrationCoordinator migrations;
  private final TablePipeline pipeline;
  private final WakeUps wakeUps;
  private final SnapshotAdmission admission;
  private final HostService hosts;
  private final AgentSightings sightings;
  private final Clock clock;
  private final TransactionTemplate snapshotRead;
  private final TransactionTemplate write;
  private final Map<UUID, IntendedDigest> intendedDigests = new ConcurrentHashMap<>();

  JdbcHostTableService(
      JdbcClient jdbc,
      TableDistribution distribution,
      MigrationCoordinator migrations,
      TablePipeline pipeline,
      WakeUps wakeUps,
      SnapshotAdmission admission,
      HostService hosts,
      AgentSightings sightings,
      Clock clock,
      PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.distribution = distribution;
    this.migrations = migrations;
    this.pipeline = pipeline;
    this.wakeUps = wakeUps;
    this.admission = admission;
    this.hosts = hosts;
    this.sightings = sightings;
    this.clock = clock;
    this.snapshotRead = new TransactionTemplate(transactions);
    // One snapshot for generation, log and model (PostgreSQL and H2 both give that here).
    snapshotRead.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    snapshotRead.setReadOnly(true);
    this.write = new TransactionTemplate(transactions);
  }

  @Override
  public long generation(HostId host) {
    return snapshotRead.execute(s -> distribution.generation(host.value()));
  }

  @Override
  public HostTable intendedTable(HostId host) {
    return snapshotRead.execute(s -> distribution.snapshot(host.value()));
  }

  @Override
  public HostTable intendedTable(HostId host, Collection<UUID> vmNetworks) {
    return snapshotRead.execute(s -> distribution.snapshot(host.value(), vmNetworks));
  }

  @Override
  public Optional<TableMessage> changesSince(HostId host, long since) {
    return snapshotRead.execute(s -> distribution.since(host.value(), since, true)).asMessage();
  }

  /**
   * What a long-polling agent gets now: a due snapshot is built outside the read of the log, under
   * {@link SnapshotAdmission} (no pooled connection is held while a poll waits for its turn), and
   * in a transaction of its own, at the generation current then.
   */
  private Optional<TableMessage> admittedChangesSince(HostId host, long since) {
    UUID id = host.value();
    if (since > 0) {
      // Most polls find their agent current (every long-poll starts so, and a woken one often is):
      // one auto-commit read of the generation says so. The repeatable-read transaction below costs
      // six round trips on PostgreSQL (BEGIN, SHOW and SET of the isolation level, the read,
      // COMMIT, SET back); at 10,000 agents those were the database's most frequent statements
      // (docs/benchmarks.md, run I).
      if (distribution.generation(id) == since) {
        return Optional.empty();
      }
      TableDistribution.Reply reply =
          snapshotRead.execute(s -> distribution.since(id, since, false));
      if (!reply.snapshotDue()) {
        return reply.asMessage();
      }
    }
    return Optional.of(
        admission.admit(
            id,
            () -> new TableMessage.Snapshot(snapshotRead.execute(s -> distribution.snapshot(id)))));
  }

  @Override
  public Optional<TableMessage> awaitChanges(HostId host, long since, Duration wait) {
    return awaitChanges(host, since, wait, () -> false);
  }

  @Override
  public Optional<TableMessage> awaitChanges(
      HostId host, long since, Duration wait, BooleanSupplier endsEarly) {
    Instant deadline = clock.instant().plus(wait);
    while (true) {
      CompletableFuture<Void> signal = wakeUps.signal(host.value());
      Optional<TableMessage> message = admittedChangesSince(host, since);
      if (message.isPresent() || wakeUps.isClosing() || endsEarly.getAsBoolean()) {
        return message;
      }
      if (!WakeUps.await(signal, Duration.between(clock.instant(), deadline))) {
        return Optional.empty();
      }
    }
  }

  @Override
  public void wakeLongPolls(HostId host) {
    wakeUps.wake(host.value());
  }

  @Override
  public boolean draining() {
    return wakeUps.isClosing();
  }

  @Override
  public void agentPolled(HostId host) {
    sightings.seen(host.value());
  }

  @Override
  public void writeAgentSightings() {
    sightings.flush();
  }

  @Override
  public HostTableStatus reportApplied(HostId host, AgentReport report) {
    UUID id = host.value();
    return write.execute(s -> {
      // The host's row first: a migration to or from this host (or a drain) locks the host rows
      // and then, as it commits, the VM's migration row; taking ours in the other order let a
      // report and such a migration deadlock. Then the migration rows, then (when it commits) the
      // host table rows, in the order of LockOrder.
      Timestamp now = Timestamp.from(clock.instant());
      int updated =
          jdbc.sql(
                  "UPDATE fabric_host SET applied_generation = :g, applied_digest = :d,"
                      + " last_seen_at = :at WHERE id = :id")
              .param("g", report.generation())
              .param("d", truncate(report.digest(), 128))
              .param("at", now)
              .param("id", id)
              .update();
      if (updated == 0) {
        throw new NotFoundException("no such host", "hostId");
      }
      migrations.lockWaitingOn(id, report.generation());
      ChangeSet changes = pipeline.current();
      // The host's table row is written when the transaction commits, in order with the rows of
      // the hosts this report's migration steps bump (ChangeSet.tableRowWrites): taking it here,
      // before them, deadlocked with a VM create or a migration bumping the same rows in order.
      String rejection = truncate(report.lastRejection(), 1000);
      changes.tableRowWrites.put(
          id,
          () ->
              jdbc.sql(
                      "UPDATE fabric_table_host SET counters = :c, last_rejection = :r,"
                          + " underlay = :u, reported_at = :at WHERE host_id = :id")
                  .param("c", whole(report.countersJson(), MAX_COUNTERS))
                  .param("r", rejection)
                  .param("u", whole(report.underlayJson(), MAX_UNDERLAY))
                  .param("at", now)
                  .param("id", id)
                  .update());
      String state =
          jdbc.sql("SELECT state FROM fabric_host WHERE id = :id")
              .param("id", id)
              .query(String.class)
              .single();
      if (HostState.REGISTERING.name().equals(state)) {
        hosts.setHostState(Caller.system("agent"), host, HostState.READY);
      }
      migrations.onApplied(id, report.generation(), changes);
      HostTableStatus status = status(id, false);
      // The row still holds the previous report's rejection until this one commits.
      return new HostTableStatus(
          status.hostId(),
          status.intendedGeneration(),
          status.intendedDigest(),
          status.appliedGeneration(),
          status.appliedDigest(),
          status.lag(),
          status.inSync(),
          status.lastSeenAt(),
          rejection);
    });
  }

  @Override
  public HostTableStatus status(Caller caller, HostId host) {
    requireOperator(caller);
    return snapshotRead.execute(s -> status(host.value(), true));
  }

  private HostTableStatus status(UUID host, boolean withDigest) {
    long intended = distribution.generation(host);
    String intendedDigest = withDigest ? intendedDigest(host, intended) : null;
    return jdbc.sql(
            "SELECT h.applied_generation, h.applied_digest, h.last_seen_at, t.last_rejection"
                + " FROM fabric_host h JOIN fabric_table_host t ON t.host_id = h.id WHERE h.id = :id")
        .param("id", host)
        .query((rs, n) -> {
          long applied = rs.getLong(1);
          String digest = rs.getString(2);
          Timestamp seen = rs.getTimestamp(3);
          boolean inSync =
              applied == intended && (intendedDigest == null || intendedDigest.equals(digest));
          return new HostTableStatus(
              new HostId(host),
              intended,
              intendedDigest,
              applied,
              digest,
              Math.max(0, intended - Math.max(0, applied)),
              inSync,
              seen == null ? null : seen.toInstant(),
              rs.getString(4));
        })
        .single();
  }

  @Override
  public Optional<AgentReport> lastReport(Caller caller, HostId host) {
    requireOperator(caller);
    return jdbc.sql(
            "SELECT h.applied_generation, h.applied_digest, t.counters, t.last_rejection,"
                + " t.underlay FROM fabric_host h JOIN fabric_table_host t ON t.host_id = h.id"
                + " WHERE h.id = :id AND t.reported_at IS NOT NULL")
        .param("id", host.value())
        .query((rs, n) ->
            new AgentReport(
                rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)))
        .optional();
  }

  @Override
  public List<MigrationRecord> migrations(Caller caller, int limit) {
    requireOperator(caller);
    int bounded = Math.clamp(limit, 1, 1000);
    return snapshotRead.execute(s ->
        jdbc.sql(
                "SELECT * FROM fabric_table_migration ORDER BY started_at DESC"
                    + " FETCH FIRST "
                    + bounded
                    + " ROWS ONLY")
            .query(JdbcHostTableService::migration)
            .list());
  }

  private static MigrationRecord migration(ResultSet rs, int row) throws SQLException {
    return new MigrationRecord(
        rs.getObject("id", UUID.class),
        new VmId(rs.getObject("vm_id", UUID.class)),
        new HostId(rs.getObject("from_host", UUID.class)),
        new HostId(rs.getObject("to_host", UUID.class)),
        rs.getString("phase"),
        instant(rs, "started_at"),
        (Long) rs.getObject("dest_generation", Long.class),
        instant(rs, "dest_applied_at"),
        instant(rs, "switched_at"),
        rs.getInt("peers"),
        instant(rs, "peers_applied_at"),
        (Long) rs.getObject("source_generation", Long.class),
        instant(rs, "source_dropped_at"),
        instant(rs, "source_applied_at"),
        (Long) rs.getObject("stale_window_ms", Long.class),
        rs.getString("note"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  private static void requireOperator(Caller caller) {
    if (caller == null || !caller.isOperator()) {
      throw new AccessDeniedException("only operators may read host tables");
    }
  }

  /**
   * A host's intended table at a generation never changes, so its digest is computed once: the
   * operators' hosts page asks for every host's status on each refresh.
   */
  private String intendedDigest(UUID host, long generation) {
    IntendedDigest known = intendedDigests.get(host);
    if (known != null && known.generation() == generation) {
      return known.digest();
    }
    String digest = TableJson.digest(distribution.snapshot(host));
    intendedDigests.put(host, new IntendedDigest(generation, digest));
    return digest;
  }

  private record IntendedDigest(long generation, String digest) {}

  /** A value too long to keep whole is not kept: half a JSON document helps nobody. */
  private static String whole(String s, int max) {
    return s == null || s.length() <= max ? s : null;
  }

  private static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
