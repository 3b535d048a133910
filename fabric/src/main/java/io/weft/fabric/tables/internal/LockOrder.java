package io.weft.fabric.tables.internal;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * The one order in which a transaction locks several rows of one table keyed by UUID (host table
 * rows, migration rows, span rows): the database's own order of {@code uuid} values (PostgreSQL and
 * H2 compare the 16 bytes unsigned), so a lock taken by {@code ORDER BY id FOR UPDATE} and one
 * taken in a Java loop agree. {@link UUID#compareTo} compares the halves signed, which differs for
 * half of all random UUIDs: a loop sorted that way and a query ordered by the database would lock
 * two such rows in opposite orders.
 *
 * <p>Two transactions that each lock rows of one table in this order cannot deadlock on them. What
 * each transaction locks, table by table: host rows ({@code fabric_host}), then migration rows
 * ({@code fabric_table_moving}), then the compiler's memory ({@code fabric_table_span}, {@code
 * fabric_table_vnic}), then host table rows ({@code fabric_table_host}, bumped by {@link
 * ChangeLog#append} when the transaction commits, with any other write to those rows).
 */
final class LockOrder {

  static final Comparator<UUID> ROWS =
      (a, b) -> {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0
            ? high
            : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
      };

  private LockOrder() {}

  static List<UUID> sorted(Collection<UUID> ids) {
    return ids.stream().distinct().sorted(ROWS).toList();
  }
}
