package io.weft.fabric.tables.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;

/**
 * Long-polls (the table and the command poll) are an agent's sign of life, so an agent with nothing
 * to report sends no report ({@code dataplane/TABLE-FORMAT.md}, "Liveness"). Writing {@code
 * fabric_host.last_seen_at} for each poll would cost a statement per poll (about 333/s at 10,000
 * agents): a replica keeps the polls' times in memory and writes them every {@code
 * weft.tables.seen-flush-interval} (5 s), in one statement for all hosts, and only where the stored
 * time is older than {@code weft.tables.seen-rewrite-after} (10 s) before the sighting (the other
 * replica or a report may have written it since).
 *
 * <p>Placements and migrations lock host rows ({@code FOR NO KEY UPDATE}, {@link LockOrder}); on
 * PostgreSQL the batch skips rows another transaction holds ({@code SKIP LOCKED}) and keeps those
 * sightings for the next flush, so it neither waits behind them nor deadlocks with them. On H2 (one
 * replica) each host is its own auto-commit update, which holds one row lock at a time.
 *
 * <p>A stored time is at most a poll's wait + the flush interval + the rewrite threshold older than
 * the agent's last poll; {@code weft.tables.agent-liveness} and the silence limits must be larger
 * (checked here against the fabric's longest wait, 60 s).
 */
@Component
class AgentSightings implements SmartLifecycle, DisposableBean {

  /** The longest long-poll the fabric holds (the portal's AgentController.MAX_WAIT_SECONDS). */
  static final Duration LONGEST_POLL = Duration.ofSeconds(60);

  private static final Logger LOG = LoggerFactory.getLogger(AgentSightings.class);

  /**
   * Sightings (ids and epoch milliseconds) → the stale ones, then those of them no other
   * transaction holds, locked in order and written; answers the stale hosts it skipped (to keep)
   * and the hosts it wrote.
   */
  private static final String FLUSH_ON_POSTGRES =
      "WITH seen AS (SELECT s.id, to_timestamp(s.ms / 1000.0) AS at"
          + " FROM unnest(?::uuid[], ?::bigint[]) AS s(id, ms)),"
          + " stale AS (SELECT h.id, seen.at FROM fabric_host h JOIN seen ON seen.id = h.id"
          + " WHERE h.last_seen_at IS NULL"
          + " OR h.last_seen_at < seen.at - ?::double precision * interval '1 millisecond'),"
          + " free AS (SELECT h.id, stale.at FROM fabric_host h JOIN stale ON stale.id = h.id"
          + " ORDER BY h.id FOR NO KEY UPDATE OF h SKIP LOCKED),"
          + " written AS (UPDATE fabric_host h SET last_seen_at = free.at FROM free"
          + " WHERE h.id = free.id AND (h.last_seen_at IS NULL OR h.last_seen_at < free.at)"
          + " RETURNING h.id)"
          + " SELECT stale.id, stale.at, false FROM stale WHERE stale.id NOT IN"
          + " (SELECT id FROM free) UNION ALL SELECT id, NULL, true FROM written";

  private final JdbcClient jdbc;
  private final DataSource dataSource;
  private final DatabaseKind database;
  private final Clock clock;
  private final Duration flushInterval;
  private final Duration rewriteAfter;

  /** Sightings not written yet: host → its latest poll's arrival. */
  private final Map<UUID, Instant> pending = new ConcurrentHashMap<>();

  /** When this replica last wrote each host's time: polls soon after are not even queued. */
  private final Map<UUID, Instant> written = new ConcurrentHashMap<>();

  private final FixedDelayTimer timer;

  AgentSightings(
      JdbcClient jdbc,
      DataSource dataSource,
      DatabaseKind database,
      Clock clock,
      @Value("${weft.tables.seen-flush-interval:5s}") Duration flushInterval,
      @Value("${weft.tables.seen-rewrite-after:10s}") Duration rewriteAfter,
      @Value("${weft.tables.agent-liveness:90s}") Duration liveness) {
    if (!flushInterval.isPositive() || rewriteAfter.isNegative()) {
      throw new IllegalArgumentException(
          "weft.tables.seen-flush-interval must be positive and seen-rewrite-after not negative");
    }
    this.jdbc = jdbc;
    this.dataSource = dataSource;
    this.database = database;
    this.clock = clock;
    this.flushInterval = flushInterval;
    // A flush in flight finishes on stop: it holds the last sightings this replica saw.
    this.timer =
        new FixedDelayTimer(
            "weft-agent-sightings",
            flushInterval,
            FixedDelayTimer.OnStop.FINISH,
            this::flushQuietly);
    this.rewriteAfter = rewriteAfter;
    Duration oldest = LONGEST_POLL.plus(flushInterval).plus(rewriteAfter);
    if (liveness.compareTo(oldest) <= 0) {
      LOG.warn(
          "weft.tables.agent-liveness ({}) is not above the longest poll + the seen flush interval"
              + " + the rewrite threshold ({}): live agents polling with a long wait may count as"
              + " dead",
          liveness,
          oldest);
    }
  }

  /** The host's agent polled now. */
  void seen(UUID host) {
    Instant now = clock.instant();
    Instant wrote = written.get(host);
    if (wrote != null && wrote.isAfter(now.minus(rewriteAfter))) {
      return;
    }
    pending.merge(host, now, (a, b) -> a.isAfter(b) ? a : b);
  }

  /** Writes what is pending; returns how many hosts' times were written. */
  int flush() {
    Map<UUID, Instant> batch = new HashMap<>();
    for (UUID host : List.copyOf(pending.keySet())) {
      Instant at = pending.remove(host);
      if (at != null) {
        batch.put(host, at);
      }
    }
    if (batch.isEmpty()) {
      return 0;
    }
    Map<UUID, Instant> skipped = new HashMap<>();
    int count;
    try {
      count = database.isPostgres() ? flushOnPostgres(batch, skipped) : flushEach(batch);
    } catch (RuntimeException | SQLException e) {
      batch.forEach(this::keep); // the next flush tries again
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
    Instant now = clock.instant();
    batch.forEach((host, at) -> {
      if (!skipped.containsKey(host)) {
        written.put(host, at);
      }
    });
    skipped.forEach(this::keep);
    written.values().removeIf(at -> at.isBefore(now.minus(rewriteAfter)));
    return count;
  }

  /** Tests that set stored times back by hand: as if this replica had written none. */
  void forgetWrites() {
    written.clear();
  }

  private void keep(UUID host, Instant at) {
    pending.merge(host, at, (a, b) -> a.isAfter(b) ? a : b);
  }

  /** One statement; the stale hosts whose rows were locked come back in {@code skipped}. */
  private int flushOnPostgres(Map<UUID, Instant> batch, Map<UUID, Instant> skipped)
      throws SQLException {
    List<UUID> ids = LockOrder.sorted(batch.keySet());
    Long[] millis = ids.stream().map(id -> batch.get(id).toEpochMilli()).toArray(Long[]::new);
    Connection c = DataSourceUtils.getConnection(dataSource);
    try (PreparedStatement flush = c.prepareStatement(FLUSH_ON_POSTGRES)) {
      flush.setArray(1, c.createArrayOf("uuid", ids.toArray()));
      flush.setArray(2, c.createArrayOf("bigint", millis));
      flush.setDouble(3, rewriteAfter.toMillis());
      int count = 0;
      try (ResultSet rows = flush.executeQuery()) {
        while (rows.next()) {
          if (rows.getBoolean(3)) {
            count++;
          } else {
            skipped.put(rows.getObject(1, UUID.class), rows.getTimestamp(2).toInstant());
          }
        }
      }
      return count;
    } finally {
      DataSourceUtils.releaseConnection(c, dataSource);
    }
  }

  /** H2: one auto-commit update per host, in lock order; each holds one row lock at a time. */
  private int flushEach(Map<UUID, Instant> batch) {
    int count = 0;
    for (UUID host : LockOrder.sorted(batch.keySet())) {
      Instant at = batch.get(host);
      count +=
          jdbc.sql(
                  "UPDATE fabric_host SET last_seen_at = :at WHERE id = :id"
                      + " AND (last_seen_at IS NULL OR last_seen_at < :stale)")
              .param("at", Timestamp.from(at))
              .param("stale", Timestamp.from(at.minus(rewriteAfter)))
              .param("id", host)
              .update();
    }
    return count;
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      LOG.warn("writing agents' last-seen times failed; trying again in {}", flushInterval, e);
    }
  }

  @Override
  public void start() {
    timer.start();
  }

  /** A replica being stopped (or drained) writes what it holds. */
  @Override
  public void stop() {
    timer.stop();
    flushQuietly();
  }

  @Override
  public boolean isRunning() {
    return timer.isRunning();
  }

  /** Polls that arrived after {@link #stop()}, while the web server finished its last requests. */
  @Override
  public void destroy() {
    flushQuietly();
  }
}
