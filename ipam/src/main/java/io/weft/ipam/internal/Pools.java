package io.weft.ipam.internal;

import static io.weft.ipam.internal.FreeIntervals.dec;

import io.weft.ipam.IpamValidationException;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/** Rows of {@code ipam_scope}, {@code ipam_pool} and {@code ipam_range}, and their locks. */
@Component
class Pools {

  /** A stored pool. family and prefixLength are null for the VSID and MAC pools. */
  record PoolRow(
      UUID id,
      String kind,
      String scope,
      Integer family,
      Integer prefixLength,
      BigInteger first,
      BigInteger last) {}

  /** A stored range. */
  record RangeRow(UUID id, UUID pool, BigInteger first, BigInteger last, String purpose) {}

  private static final String POOL_COLUMNS =
      "SELECT id, kind, scope, family, prefix_length, first_value, last_value FROM ipam_pool";
  private static final String RANGE_COLUMNS =
      "SELECT id, pool_id, first_value, last_value, purpose FROM ipam_range";

  private final JdbcTemplate jdbc;
  private final Dialect dialect;

  Pools(JdbcTemplate jdbc, Dialect dialect) {
    this.jdbc = jdbc;
    this.dialect = dialect;
  }

  /**
   * Locks a scope, creating its row first if needed, so pool creation within one scope is serial
   * across transactions and processes.
   */
  void lockScope(String scope) {
    if (dialect.isPostgres()) {
      jdbc.update("INSERT INTO ipam_scope (name) VALUES (?) ON CONFLICT (name) DO NOTHING", scope);
    } else {
      jdbc.update("MERGE INTO ipam_scope (name) KEY (name) VALUES (?)", scope);
    }
    jdbc.queryForList("SELECT name FROM ipam_scope WHERE name = ? FOR UPDATE", String.class, scope);
  }

  void insertPool(PoolRow pool) {
    jdbc.update(
        "INSERT INTO ipam_pool (id, kind, scope, family, prefix_length, first_value, last_value)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)",
        pool.id(),
        pool.kind(),
        pool.scope(),
        pool.family(),
        pool.prefixLength(),
        dec(pool.first()),
        dec(pool.last()));
  }

  /** IP pools of the scope and family whose span meets [first, last]. */
  List<PoolRow> overlappingPools(String scope, int family, BigInteger first, BigInteger last) {
    return jdbc.query(
        POOL_COLUMNS
            + " WHERE scope = ? AND kind = 'IP' AND family = ? AND first_value <= ?"
            + " AND last_value >= ?",
        POOL,
        scope,
        family,
        dec(last),
        dec(first));
  }

  Optional<PoolRow> pool(UUID id) {
    return jdbc.query(POOL_COLUMNS + " WHERE id = ?", POOL, id).stream().findFirst();
  }

  /** Locks the pool row until the transaction ends: serialises structural changes of a pool. */
  Optional<PoolRow> lockPool(UUID id) {
    return jdbc.query(POOL_COLUMNS + " WHERE id = ? FOR UPDATE", POOL, id).stream().findFirst();
  }

  void deletePool(UUID id) {
    jdbc.update("DELETE FROM ipam_range WHERE pool_id = ?", id);
    jdbc.update("DELETE FROM ipam_pool WHERE id = ?", id);
  }

  void insertRange(RangeRow range) {
    jdbc.update(
        "INSERT INTO ipam_range (id, pool_id, first_value, last_value, purpose)"
            + " VALUES (?, ?, ?, ?, ?)",
        range.id(),
        range.pool(),
        dec(range.first()),
        dec(range.last()),
        range.purpose());
  }

  Optional<RangeRow> range(UUID id) {
    return jdbc.query(RANGE_COLUMNS + " WHERE id = ?", RANGE, id).stream().findFirst();
  }

  /** Ranges of the pool that meet [first, last], ascending. */
  List<RangeRow> rangesMeeting(UUID pool, BigInteger first, BigInteger last) {
    return jdbc.query(
        RANGE_COLUMNS
            + " WHERE pool_id = ? AND first_value <= ? AND last_value >= ? ORDER BY first_value",
        RANGE,
        pool,
        dec(last),
        dec(first));
  }

  void deleteRange(UUID id) {
    jdbc.update("DELETE FROM ipam_range WHERE id = ?", id);
  }

  static String requireText(String text, String field, int max) {
    if (text == null || text.isBlank()) {
      throw new IpamValidationException(field + " must not be empty", field);
    }
    String stripped = text.strip();
    if (stripped.length() > max) {
      throw new IpamValidationException(
          field + " is " + stripped.length() + " characters long; at most " + max, field);
    }
    return stripped;
  }

  private static final RowMapper<PoolRow> POOL =
      (rs, row) ->
          new PoolRow(
              rs.getObject(1, UUID.class),
              rs.getString(2),
              rs.getString(3),
              (Integer) rs.getObject(4, Integer.class),
              (Integer) rs.getObject(5, Integer.class),
              rs.getBigDecimal(6).toBigIntegerExact(),
              rs.getBigDecimal(7).toBigIntegerExact());

  private static final RowMapper<RangeRow> RANGE =
      (rs, row) ->
          new RangeRow(
              rs.getObject(1, UUID.class),
              rs.getObject(2, UUID.class),
              rs.getBigDecimal(3).toBigIntegerExact(),
              rs.getBigDecimal(4).toBigIntegerExact(),
              rs.getString(5));
}
