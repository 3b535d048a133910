package io.weft.ipam.internal;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * PostgreSQL only: next-free for several callers of one range in one statement and one commit.
 *
 * <p>What an allocation costs on PostgreSQL is mostly the statement and its commit, not the
 * address: with 8 clients on 2 cores the one-address statement ran at about half the rate of a bare
 * one-row insert. Callers without a transaction of their own therefore queue per range, and whoever
 * finds fewer than {@code weft.ipam.next-free.statements-in-flight} (default {@value
 * #DEFAULT_IN_FLIGHT}) statements in flight for the range takes up to {@code
 * weft.ipam.next-free.batch-size} (default {@value #DEFAULT_BATCH}) waiting callers and allocates
 * consecutive addresses for all of them at once (group commit). A lone caller is a batch of one and
 * waits for nobody. Every caller gets its own address only after it is committed, and a failure
 * reaches every caller of that batch, so each call stays atomic on its own. Different processes on
 * one database never wait for each other's queues: their statements lock different free intervals
 * ({@code SKIP LOCKED}).
 *
 * <p>A caller inside a transaction must not be served by another thread's connection (its rollback
 * would not undo the allocation): {@link #takeInCallerTransaction} runs the same statement for it
 * alone, on the caller's connection.
 */
@Component
class NextFreeBatches {

  static final int DEFAULT_BATCH = 32;
  static final int DEFAULT_IN_FLIGHT = 2;

  /** Statements that took nothing before a caller is sent to the portable path. */
  static final int FAST_ATTEMPTS = 3;

  /**
   * Takes {@code k} values (or as many as are left) from the lowest free interval that is not
   * locked, and records them in order, value {@code first + n - 1} for the n-th owner. Answers
   * nothing when every interval is locked or none is left; the portable path then decides.
   *
   * <p>The locked interval is updated by its ctid (a TID scan): joining on id let the planner
   * choose a sequential scan of every interval of every range, twice per statement. What is
   * recorded comes from the row actually shrunk or deleted, never from the pick; if neither
   * happened, nothing is. That is the case when the interval picked was changed by another
   * allocator after the statement began: the lock returns its newest version, which the statement's
   * snapshot cannot see by TID (about 8% of statements with 8 clients on one range). A fresh
   * statement then sees it, so it is tried {@value #FAST_ATTEMPTS} times.
   */
  static final String TAKE_AND_RECORD =
      "WITH pick AS (SELECT ctid AS row, id FROM ipam_free_interval"
          + " WHERE range_id = ? AND pool_id = ? ORDER BY range_id, first_value"
          + " FETCH FIRST 1 ROWS ONLY FOR UPDATE SKIP LOCKED),"
          + " wanted AS (SELECT ?::int AS k),"
          + " shrink AS (UPDATE ipam_free_interval f SET next_value = f.next_value + wanted.k"
          + " FROM pick, wanted WHERE f.ctid = pick.row AND f.id = pick.id"
          + " AND f.last_value - f.next_value >= wanted.k"
          + " RETURNING f.next_value - wanted.k AS lo, f.next_value - 1 AS hi),"
          + " gone AS (DELETE FROM ipam_free_interval f USING pick, wanted"
          + " WHERE f.ctid = pick.row AND f.id = pick.id"
          + " AND f.last_value - f.next_value < wanted.k"
          + " RETURNING f.next_value AS lo, f.last_value AS hi),"
          + " span AS (SELECT lo, hi FROM shrink UNION ALL SELECT lo, hi FROM gone)"
          + " INSERT INTO ipam_allocation (pool_id, num, range_id, owner)"
          + " SELECT ?, span.lo + o.n - 1, ?, o.owner"
          + " FROM span, unnest(?::varchar[]) WITH ORDINALITY AS o(owner, n)"
          + " WHERE o.n <= span.hi - span.lo + 1"
          + " RETURNING num";

  private final JdbcTemplate jdbc;
  private final DataSource dataSource;
  private final int batchSize;
  private final int inFlight;
  private final ConcurrentHashMap<LaneKey, Lane> lanes = new ConcurrentHashMap<>();
  private final LongAdder statements = new LongAdder();

  NextFreeBatches(
      JdbcTemplate jdbc,
      @Value("${weft.ipam.next-free.batch-size:" + DEFAULT_BATCH + "}") int batchSize,
      @Value("${weft.ipam.next-free.statements-in-flight:" + DEFAULT_IN_FLIGHT + "}")
          int inFlight) {
    if (batchSize < 1 || batchSize > 1_000) {
      throw new IllegalArgumentException(
          "weft.ipam.next-free.batch-size must be 1..1000, not " + batchSize);
    }
    if (inFlight < 1) {
      throw new IllegalArgumentException(
          "weft.ipam.next-free.statements-in-flight must be at least 1, not " + inFlight);
    }
    this.jdbc = jdbc;
    this.dataSource = Objects.requireNonNull(jdbc.getDataSource(), "data source");
    this.batchSize = batchSize;
    this.inFlight = inFlight;
  }

  /**
   * The lowest free value for {@code owner}, committed, from a batch shared with concurrent callers
   * of the range; null when the portable path must decide (range exhausted, or busy).
   */
  BigInteger allocate(UUID pool, UUID range, String owner) {
    LaneKey key = new LaneKey(pool, range);
    Lane lane =
        lanes.compute(
            key,
            (k, found) -> {
              Lane l = found == null ? new Lane() : found;
              l.users++;
              return l;
            });
    try {
      return lane.serve(new Request(owner), key);
    } finally {
      lanes.computeIfPresent(key, (k, l) -> --l.users == 0 ? null : l);
    }
  }

  /** One value for a caller inside its own transaction; null when the portable path must decide. */
  BigInteger takeInCallerTransaction(UUID pool, UUID range, String owner) {
    for (int attempt = 0; attempt < FAST_ATTEMPTS; attempt++) {
      List<BigInteger> got = take(pool, range, List.of(owner));
      if (!got.isEmpty()) {
        return got.getFirst();
      }
    }
    return null;
  }

  /**
   * Values for the first owners, in order (fewer than asked when the interval ran short), on the
   * caller's transaction's connection.
   */
  List<BigInteger> take(UUID pool, UUID range, List<String> owners) {
    return jdbc.execute((Connection connection) -> run(connection, pool, range, owners));
  }

  /**
   * As {@link #take}, for a batch: on a connection of its own, back in the pool as soon as the
   * statement is done. Through {@link JdbcTemplate} it would stay bound to the leader's own call
   * (Spring binds connections to a call scope even without a transaction), so a caller that led one
   * batch and then waits for the next would sit on a connection while the next leader waits for
   * one: with more callers than connections, they starve each other until the pool times out.
   */
  private List<BigInteger> takeShared(UUID pool, UUID range, List<String> owners) {
    try (Connection connection = dataSource.getConnection()) {
      List<BigInteger> values = run(connection, pool, range, owners);
      if (!connection.getAutoCommit()) {
        // A pool set up without auto-commit: the callers are told only what is committed.
        connection.commit();
      }
      return values;
    } catch (SQLException e) {
      throw translated(e);
    }
  }

  private List<BigInteger> run(Connection connection, UUID pool, UUID range, List<String> owners)
      throws SQLException {
    statements.increment();
    List<BigInteger> values = new ArrayList<>(owners.size());
    try (PreparedStatement statement = connection.prepareStatement(TAKE_AND_RECORD)) {
      statement.setObject(1, range);
      statement.setObject(2, pool);
      statement.setInt(3, owners.size());
      statement.setObject(4, pool);
      statement.setObject(5, range);
      statement.setArray(6, connection.createArrayOf("varchar", owners.toArray()));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          values.add(rows.getBigDecimal(1).toBigIntegerExact());
        }
      }
    }
    // RETURNING has no order of its own; value first + n - 1 went to the n-th owner.
    values.sort(null);
    return values;
  }

  private RuntimeException translated(SQLException e) {
    RuntimeException translated =
        jdbc.getExceptionTranslator().translate("shared next-free", TAKE_AND_RECORD, e);
    return translated != null
        ? translated
        : new UncategorizedSQLException("shared next-free", TAKE_AND_RECORD, e);
  }

  /** Next-free statements run so far (batches and callers in a transaction). */
  long statementsRun() {
    return statements.sum();
  }

  /** Ranges with callers queued or served right now; an idle range holds no memory. */
  int lanesInUse() {
    return lanes.size();
  }

  private record LaneKey(UUID pool, UUID range) {}

  /** One caller waiting in a lane. Guarded by the lane's monitor. */
  private static final class Request {
    final String owner;
    boolean taken;
    boolean finished;
    int emptyStatements;
    BigInteger value;
    Throwable failure;

    Request(String owner) {
      this.owner = owner;
    }

    BigInteger outcome() {
      if (failure instanceof RuntimeException e) {
        throw e;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      return value;
    }
  }

  /** The callers of one range in this process. */
  private final class Lane {
    /** Callers using the lane; changed only inside {@link ConcurrentHashMap#compute}. */
    int users;

    private final Deque<Request> waiting = new ArrayDeque<>();
    private int leaders;

    BigInteger serve(Request request, LaneKey key) {
      boolean interrupted = false;
      try {
        synchronized (this) {
          waiting.addLast(request);
        }
        while (true) {
          List<Request> batch;
          synchronized (this) {
            while (!request.finished && (request.taken || leaders >= inFlight)) {
              try {
                wait();
              } catch (InterruptedException e) {
                // A batch may already hold our request: give up only with its outcome in hand.
                interrupted = true;
              }
            }
            if (request.finished) {
              return request.outcome();
            }
            leaders++;
            batch = drain();
          }
          List<BigInteger> values = List.of();
          Throwable failure = null;
          try {
            values = takeShared(key.pool(), key.range(), owners(batch));
          } catch (RuntimeException | Error e) {
            // Every caller of the batch learns of it, the leader's own request included.
            failure = e;
          } finally {
            settle(batch, values, failure);
          }
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    private List<Request> drain() {
      List<Request> batch = new ArrayList<>(Math.min(batchSize, waiting.size()));
      while (batch.size() < batchSize && !waiting.isEmpty()) {
        Request next = waiting.pollFirst();
        next.taken = true;
        batch.add(next);
      }
      return batch;
    }

    /**
     * Hands out what the statement took. Callers it could not serve queue again at the front; one
     * whose statements keep taking nothing goes to the portable path (outcome null).
     */
    private synchronized void settle(
        List<Request> batch, List<BigInteger> values, Throwable failure) {
      leaders--;
      for (int n = batch.size() - 1; n >= 0; n--) {
        Request request = batch.get(n);
        request.taken = false;
        if (failure != null) {
          request.failure = failure;
          request.finished = true;
        } else if (n < values.size()) {
          request.value = values.get(n);
          request.finished = true;
        } else if (values.isEmpty() && ++request.emptyStatements >= FAST_ATTEMPTS) {
          request.finished = true;
        } else {
          waiting.addFirst(request);
        }
      }
      notifyAll();
    }

    private static List<String> owners(List<Request> batch) {
      List<String> owners = new ArrayList<>(batch.size());
      for (Request request : batch) {
        owners.add(request.owner);
      }
      return owners;
    }
  }
}
