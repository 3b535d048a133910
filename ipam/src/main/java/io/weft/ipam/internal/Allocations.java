package io.weft.ipam.internal;

import static io.weft.ipam.internal.FreeIntervals.dec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Rows of {@code ipam_allocation}: one per (pool, value), shared by addresses, VSIDs and MACs. */
@Component
class Allocations {

  /** A stored allocation, value as a number. */
  record Row(UUID pool, BigInteger value, UUID range, String owner, OffsetDateTime allocatedAt) {}

  private final JdbcTemplate jdbc;

  Allocations(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Inserts; false when the (pool, value) key is taken (the last line of defence). */
  boolean insert(UUID pool, BigInteger value, UUID range, String owner) {
    try {
      jdbc.update(
          "INSERT INTO ipam_allocation (pool_id, num, range_id, owner) VALUES (?, ?, ?, ?)",
          pool,
          dec(value),
          range,
          owner);
      return true;
    } catch (DuplicateKeyException e) {
      return false;
    }
  }

  Optional<String> owner(UUID pool, BigInteger value) {
    return jdbc
        .queryForList(
            "SELECT owner FROM ipam_allocation WHERE pool_id = ? AND num = ?",
            String.class,
            pool,
            dec(value))
        .stream()
        .findFirst();
  }

  /**
   * Deletes the allocation; empty when there was none, else the range it came from (empty optional
   * inside when it came from no range).
   */
  Optional<Optional<UUID>> delete(UUID pool, BigInteger value) {
    List<Optional<UUID>> found =
        jdbc.query(
            "SELECT range_id FROM ipam_allocation WHERE pool_id = ? AND num = ? FOR UPDATE",
            (rs, row) -> Optional.ofNullable(rs.getObject(1, UUID.class)),
            pool,
            dec(value));
    if (found.isEmpty()) {
      return Optional.empty();
    }
    int deleted =
        jdbc.update("DELETE FROM ipam_allocation WHERE pool_id = ? AND num = ?", pool, dec(value));
    return deleted == 0 ? Optional.empty() : Optional.of(found.getFirst());
  }

  BigInteger count(UUID pool) {
    Long count =
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM ipam_allocation WHERE pool_id = ?", Long.class, pool);
    return BigInteger.valueOf(count == null ? 0 : count);
  }

  long countInRange(UUID range) {
    Long count =
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM ipam_allocation WHERE range_id = ?", Long.class, range);
    return count == null ? 0 : count;
  }

  /** Values of the pool between first and last, ascending. */
  List<BigInteger> valuesBetween(UUID pool, BigInteger first, BigInteger last) {
    return jdbc
        .queryForList(
            "SELECT num FROM ipam_allocation WHERE pool_id = ? AND num >= ? AND num <= ?"
                + " ORDER BY num",
            BigDecimal.class,
            pool,
            dec(first),
            dec(last))
        .stream()
        .map(BigDecimal::toBigIntegerExact)
        .toList();
  }

  /** Attributes the pool's allocations between first and last to a (new) range. */
  void assignRange(UUID pool, BigInteger first, BigInteger last, UUID range) {
    jdbc.update(
        "UPDATE ipam_allocation SET range_id = ? WHERE pool_id = ? AND num >= ? AND num <= ?",
        range,
        pool,
        dec(first),
        dec(last));
  }

  List<Row> list(UUID pool) {
    return jdbc.query(
        "SELECT pool_id, num, range_id, owner, allocated_at FROM ipam_allocation"
            + " WHERE pool_id = ? ORDER BY num",
        (rs, row) ->
            new Row(
                rs.getObject(1, UUID.class),
                rs.getBigDecimal(2).toBigIntegerExact(),
                rs.getObject(3, UUID.class),
                rs.getString(4),
                rs.getObject(5, OffsetDateTime.class)),
        pool);
  }

  void deletePool(UUID pool) {
    jdbc.update("DELETE FROM ipam_allocation WHERE pool_id = ?", pool);
  }
}
