package io.weft.ipam.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The hot path: free space of a range kept as disjoint intervals. An interval is a span {@code
 * [first, last]} keyed by {@code first}, which allocation never moves; {@code next} is its lowest
 * free value and {@code [first, next)} is taken. Moving the key on every allocation would never be
 * a HOT update on PostgreSQL and leaves a dead index entry per allocation in front of the next
 * scan.
 *
 * <p>Next-free locks the lowest interval of the range with {@code FOR UPDATE SKIP LOCKED} and takes
 * its first value, so concurrent allocators (threads or fabric replicas) each take a different
 * interval; a fresh range is pre-split into up to {@value #MAX_CHUNKS} chunks for that reason. Only
 * when every interval is locked does it wait ({@code FOR UPDATE}): the loser of a race for the last
 * value then sees the winner's commit and reports exhaustion cleanly. Cost per allocation is one
 * index lookup and one row update, whatever the size of the range or how full it is. The unique key
 * of {@code ipam_allocation} stays the last line of defence.
 *
 * <p>Retries are bounded: PostgreSQL may answer a waiting {@code FOR UPDATE ... FETCH FIRST 1} with
 * no row when the row it waited for was deleted; we then look again, at most {@value #ATTEMPTS}
 * times. H2 2.4 accepts {@code SKIP LOCKED} but applies the row limit before skipping (a second
 * allocator then sees no row at all), so on H2 we find the lowest interval without a lock and then
 * lock that one row by id: concurrent allocators of one range wait on its lowest interval, correct
 * but serial (H2 is the single-process default run). On PostgreSQL the whole next-free is one
 * statement, shared by concurrent callers of a range ({@link NextFreeBatches}). Queries order by
 * {@code range_id, first_value} so that H2 reads them straight off the (range_id, first_value)
 * index.
 *
 * <p>Released values go back as one-value intervals; merging neighbours is not needed for
 * correctness or speed (the index orders them) and would make releases contend with allocators.
 */
@Component
class FreeIntervals {

  static final int MAX_CHUNKS = 64;
  static final BigInteger MIN_CHUNK = BigInteger.valueOf(64);
  private static final int ATTEMPTS = 16;

  private static final String LOWEST =
      "SELECT id, first_value, next_value, last_value FROM ipam_free_interval"
          + " WHERE range_id = ? AND pool_id = ? ORDER BY range_id, first_value FETCH FIRST 1 ROWS ONLY";

  /**
   * H2 prefers the index it made for the foreign key on range_id and then scans and sorts every
   * free interval of the range (35-90 ms on a /8 with 100,000 free intervals instead of 0.1 ms):
   * name the right index there.
   */
  private static final String H2_INTERVALS =
      "ipam_free_interval USE INDEX (ipam_free_interval_next)";

  private static final String LOWEST_H2 =
      "SELECT id, first_value, next_value, last_value, pool_id FROM "
          + H2_INTERVALS
          + " WHERE range_id = ? ORDER BY range_id, first_value FETCH FIRST 1 ROWS ONLY";

  private static final String LOWEST_SKIP_LOCKED = LOWEST + " FOR UPDATE SKIP LOCKED";
  private static final String LOWEST_WAIT = LOWEST + " FOR UPDATE";
  private static final String CONTAINING =
      "SELECT id, first_value, next_value, last_value FROM ipam_free_interval"
          + " WHERE range_id = ? AND first_value <= ?"
          + " ORDER BY range_id DESC, first_value DESC FETCH FIRST 1 ROWS ONLY";
  private static final String INSERT =
      "INSERT INTO ipam_free_interval (pool_id, range_id, first_value, next_value, last_value)"
          + " VALUES (?, ?, ?, ?, ?)";

  private final JdbcTemplate jdbc;
  private final Dialect dialect;
  private final Allocations allocations;
  private final TransactionTemplate transaction;
  private final NextFreeBatches batches;

  FreeIntervals(
      JdbcTemplate jdbc,
      Dialect dialect,
      Allocations allocations,
      PlatformTransactionManager transactions,
      NextFreeBatches batches) {
    this.jdbc = jdbc;
    this.dialect = dialect;
    this.allocations = allocations;
    this.batches = batches;
    this.transaction = new TransactionTemplate(transactions);
  }

  /**
   * Allocates the lowest free value of the range to {@code owner}: takes it from the free space and
   * records the allocation. Null when the range has none left. Joins the caller's transaction; the
   * portable path, which takes several statements, opens one if there is none. On PostgreSQL a
   * caller without a transaction shares one statement and commit with concurrent callers.
   */
  BigInteger allocateLowest(UUID pool, UUID range, String owner) {
    if (dialect.isPostgres()) {
      BigInteger value =
          TransactionSynchronizationManager.isActualTransactionActive()
              ? batches.takeInCallerTransaction(pool, range, owner)
              : batches.allocate(pool, range, owner);
      if (value != null) {
        return value;
      }
    }
    return transaction.execute(status -> takeLowestAndRecord(pool, range, owner));
  }

  private BigInteger takeLowestAndRecord(UUID pool, UUID range, String owner) {
    BigInteger value = takeLowest(pool, range);
    if (value != null && !allocations.insert(pool, value, range, owner)) {
      // Free space and allocations disagree: never hand the value out twice.
      throw new IllegalStateException(
          "IPAM bookkeeping is inconsistent: free value " + value + " is allocated");
    }
    return value;
  }

  /** A span {@code [first, last]} whose free values are {@code [next, last]}. */
  private record Interval(long id, BigInteger first, BigInteger next, BigInteger last) {

    boolean holdsFree(BigInteger value) {
      return next.compareTo(value) <= 0 && last.compareTo(value) >= 0;
    }
  }

  /** Takes the lowest free value of the range, or null when the range has none left. */
  BigInteger takeLowest(UUID pool, UUID range) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Interval interval;
      if (dialect.isPostgres()) {
        interval = lowest(LOWEST_SKIP_LOCKED, pool, range);
        if (interval == null) {
          interval = lowest(LOWEST_WAIT, pool, range);
        }
      } else {
        // H2 locks every row a FOR UPDATE query reads before it applies the row limit: find the
        // lowest interval unlocked, then lock just that row (it may have shrunk meanwhile; any
        // free value of it will do).
        interval = lockById(lowestOnH2(pool, range));
        if (interval == null && anyFree(pool, range)) {
          continue;
        }
      }
      if (interval != null) {
        BigInteger value = interval.next();
        if (value.equals(interval.last())) {
          jdbc.update("DELETE FROM ipam_free_interval WHERE id = ?", interval.id());
        } else {
          jdbc.update(
              "UPDATE ipam_free_interval SET next_value = ? WHERE id = ?",
              dec(value.add(BigInteger.ONE)),
              interval.id());
        }
        return value;
      }
      if (!anyFree(pool, range)) {
        return null;
      }
    }
    throw new ConcurrentAllocationException(
        "gave up after " + ATTEMPTS + " attempts on a busy range; retry");
  }

  /** Takes a given value out of the range's free space; false when it is not free. */
  boolean take(UUID pool, UUID range, BigInteger value) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Interval interval;
      if (dialect.isPostgres()) {
        List<Interval> found = jdbc.query(CONTAINING + " FOR UPDATE", INTERVAL, range, dec(value));
        interval = found.isEmpty() ? null : found.getFirst();
      } else {
        interval = lockById(containing(range, value));
        if (interval != null && interval.first().compareTo(value) > 0) {
          continue; // it was re-keyed past our value meanwhile; look again
        }
      }
      if (interval != null && interval.holdsFree(value)) {
        split(pool, range, interval, value);
        return true;
      }
      // The interval we locked may have shrunk under us; only give up when no interval holds it.
      if (!isFree(range, value)) {
        return false;
      }
    }
    throw new ConcurrentAllocationException(
        "gave up after " + ATTEMPTS + " attempts on a busy range; retry");
  }

  /**
   * Puts a released value back into the range's free space. A value inside the taken part of a span
   * splits it: the span is re-keyed to start after the value (a rare move of the key, on release
   * only), and the value becomes a span of its own, so spans stay disjoint and ordered.
   */
  void giveBack(UUID pool, UUID range, BigInteger value) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Interval span = lockById(containing(range, value));
      if (span != null && span.first().compareTo(value) > 0) {
        continue; // re-keyed by another release meanwhile; look again
      }
      if (span != null && span.next().compareTo(value) > 0 && span.last().compareTo(value) >= 0) {
        // first <= value < next <= last: the value lies in the span's taken part.
        jdbc.update(
            "UPDATE ipam_free_interval SET first_value = ? WHERE id = ?",
            dec(value.add(BigInteger.ONE)),
            span.id());
      }
      jdbc.update(INSERT, pool, range, dec(value), dec(value), dec(value));
      return;
    }
    throw new ConcurrentAllocationException(
        "gave up after " + ATTEMPTS + " attempts on a busy range; retry");
  }

  /** The span with the greatest key at or below {@code value}, unlocked; null if none. */
  private Interval containing(UUID range, BigInteger value) {
    List<Interval> found =
        jdbc.query(
            dialect.isPostgres()
                ? CONTAINING
                : CONTAINING.replace("FROM ipam_free_interval", "FROM " + H2_INTERVALS),
            INTERVAL,
            range,
            dec(value));
    return found.isEmpty() ? null : found.getFirst();
  }

  /**
   * Records {@code [first, last]} minus {@code taken} (ascending, inside the bounds) as free, split
   * at chunk boundaries so concurrent allocators spread over up to {@value #MAX_CHUNKS} intervals.
   */
  void seed(UUID pool, UUID range, BigInteger first, BigInteger last, List<BigInteger> taken) {
    BigInteger size = last.subtract(first).add(BigInteger.ONE);
    BigInteger[] perChunk = size.divideAndRemainder(BigInteger.valueOf(MAX_CHUNKS));
    BigInteger chunk = perChunk[0].add(perChunk[1].signum() > 0 ? BigInteger.ONE : BigInteger.ZERO);
    chunk = chunk.max(MIN_CHUNK);
    List<Object[]> rows = new ArrayList<>();
    BigInteger start = first;
    for (BigInteger used : taken) {
      addChunked(rows, pool, range, first, chunk, start, used.subtract(BigInteger.ONE));
      start = used.add(BigInteger.ONE);
    }
    addChunked(rows, pool, range, first, chunk, start, last);
    jdbc.batchUpdate(INSERT, rows);
  }

  /** How many values of the range are free. */
  BigInteger freeCount(UUID range) {
    BigDecimal free =
        jdbc.queryForObject(
            "SELECT SUM(last_value - next_value + 1) FROM ipam_free_interval WHERE range_id = ?",
            BigDecimal.class,
            range);
    return free == null ? BigInteger.ZERO : free.toBigIntegerExact();
  }

  void deleteRange(UUID range) {
    jdbc.update("DELETE FROM ipam_free_interval WHERE range_id = ?", range);
  }

  void deletePool(UUID pool) {
    jdbc.update(
        "DELETE FROM ipam_free_interval WHERE range_id IN"
            + " (SELECT id FROM ipam_range WHERE pool_id = ?)",
        pool);
  }

  private static void addChunked(
      List<Object[]> rows,
      UUID pool,
      UUID range,
      BigInteger origin,
      BigInteger chunk,
      BigInteger from,
      BigInteger to) {
    BigInteger start = from;
    while (start.compareTo(to) <= 0) {
      BigInteger chunkEnd =
          start.subtract(origin).divide(chunk).add(BigInteger.ONE).multiply(chunk).add(origin);
      BigInteger end = chunkEnd.subtract(BigInteger.ONE).min(to);
      rows.add(new Object[] {pool, range, dec(start), dec(start), dec(end)});
      start = end.add(BigInteger.ONE);
    }
  }

  /** Takes {@code value}, one of the interval's free values, out of it. */
  private void split(UUID pool, UUID range, Interval interval, BigInteger value) {
    boolean atNext = interval.next().equals(value);
    boolean atLast = interval.last().equals(value);
    if (atNext && atLast) {
      jdbc.update("DELETE FROM ipam_free_interval WHERE id = ?", interval.id());
    } else if (atNext) {
      jdbc.update(
          "UPDATE ipam_free_interval SET next_value = ? WHERE id = ?",
          dec(value.add(BigInteger.ONE)),
          interval.id());
    } else {
      jdbc.update(
          "UPDATE ipam_free_interval SET last_value = ? WHERE id = ?",
          dec(value.subtract(BigInteger.ONE)),
          interval.id());
      if (!atLast) {
        BigInteger after = value.add(BigInteger.ONE);
        jdbc.update(INSERT, pool, range, dec(after), dec(after), dec(interval.last()));
      }
    }
  }

  private Interval lowestOnH2(UUID pool, UUID range) {
    List<Interval> rows =
        jdbc.query(
            LOWEST_H2,
            (rs, row) -> pool.equals(rs.getObject(5, UUID.class)) ? INTERVAL.mapRow(rs, row) : null,
            range);
    return rows.isEmpty() ? null : rows.getFirst();
  }

  private Interval lockById(Interval seen) {
    if (seen == null) {
      return null;
    }
    List<Interval> rows =
        jdbc.query(
            "SELECT id, first_value, next_value, last_value FROM ipam_free_interval"
                + " WHERE id = ? FOR UPDATE",
            INTERVAL,
            seen.id());
    return rows.isEmpty() ? null : rows.getFirst();
  }

  private Interval lowest(String sql, UUID pool, UUID range) {
    List<Interval> rows = jdbc.query(sql, INTERVAL, range, pool);
    return rows.isEmpty() ? null : rows.getFirst();
  }

  private boolean anyFree(UUID pool, UUID range) {
    return !jdbc.queryForList(
            "SELECT id FROM ipam_free_interval WHERE range_id = ? AND pool_id = ?"
                + " FETCH FIRST 1 ROWS ONLY",
            Long.class,
            range,
            pool)
        .isEmpty();
  }

  private boolean isFree(UUID range, BigInteger value) {
    Interval span = containing(range, value);
    return span != null && span.holdsFree(value);
  }

  static BigDecimal dec(BigInteger value) {
    return new BigDecimal(value);
  }

  private static final org.springframework.jdbc.core.RowMapper<Interval> INTERVAL =
      (rs, row) ->
          new Interval(
              rs.getLong(1),
              rs.getBigDecimal(2).toBigIntegerExact(),
              rs.getBigDecimal(3).toBigIntegerExact(),
              rs.getBigDecimal(4).toBigIntegerExact());
}
