package io.weft.diagnostics.reconciliation;

import io.weft.diagnostics.reconciliation.ScopeInputs.Allocation;
import io.weft.diagnostics.reconciliation.ScopeInputs.Observation;
import io.weft.diagnostics.reconciliation.ScopeInputs.Vnic;
import io.weft.ipam.IpAddressValue;
import io.weft.ipam.IpFamily;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Every VM network's three sides, one scope at a time: three read-only cursors (allocations, vNICs,
 * observations), each ordered by VM network, merged like a merge join. Nothing is loaded beyond the
 * scope in hand and a fetch batch per cursor, and no query is issued per scope, so a run over a
 * million allocations costs three sorted scans.
 */
final class ScopeStream implements AutoCloseable {

  /** UUIDs as both databases order them: byte by byte, unsigned. */
  static final Comparator<UUID> DATABASE_ORDER =
      Comparator.comparing(
              (UUID u) -> u.getMostSignificantBits(), (a, b) -> Long.compareUnsigned(a, b))
          .thenComparing(UUID::getLeastSignificantBits, Long::compareUnsigned);

  private static final int FETCH_SIZE = 2000;

  /** One VM network's rows. */
  record Scope(
      UUID vmNetwork,
      UUID tenant,
      List<Allocation> allocations,
      List<Vnic> vnics,
      List<Observation> observations) {}

  private final Cursor<Allocation> allocations;
  private final Cursor<Vnic> vnics;
  private final Cursor<Observation> observations;

  ScopeStream(DataSource dataSource) throws SQLException {
    List<Cursor<?>> opened = new ArrayList<>();
    try {
      allocations =
          open(
              dataSource,
              opened,
              "SELECT s.vm_network_id AS scope_id, s.tenant_id, p.family, a.pool_id, a.num,"
                  + " a.owner, a.allocated_at FROM ipam_allocation a"
                  + " JOIN fabric_subnet s ON s.pool_id = a.pool_id"
                  + " JOIN ipam_pool p ON p.id = a.pool_id ORDER BY s.vm_network_id, a.num",
              ScopeStream::allocation);
      vnics =
          open(
              dataSource,
              opened,
              "SELECT s.vm_network_id AS scope_id, s.tenant_id, n.id, n.mac, n.address,"
                  + " n.addressing, v.host_id FROM fabric_vnic n"
                  + " JOIN fabric_subnet s ON s.id = n.subnet_id JOIN fabric_vm v ON v.id = n.vm_id"
                  + " ORDER BY s.vm_network_id",
              rs ->
                  new Vnic(
                      rs.getObject("id", UUID.class).toString(),
                      rs.getString("mac"),
                      rs.getString("address"),
                      rs.getString("addressing"),
                      rs.getObject("host_id", UUID.class)));
      observations =
          open(
              dataSource,
              opened,
              "SELECT s.vm_network_id AS scope_id, s.tenant_id, o.host_id, o.port_id, o.mac,"
                  + " o.address, o.kind, o.first_seen_at, o.last_seen_at, o.lease_expires_at"
                  + " FROM recon_observation o JOIN fabric_subnet s ON s.vsid = o.vsid"
                  + " ORDER BY s.vm_network_id",
              rs ->
                  new Observation(
                      rs.getObject("host_id", UUID.class),
                      rs.getString("port_id"),
                      rs.getString("mac"),
                      rs.getString("address"),
                      rs.getString("kind"),
                      FindingStore.instant(rs.getTimestamp("first_seen_at")),
                      FindingStore.instant(rs.getTimestamp("last_seen_at")),
                      FindingStore.instant(rs.getTimestamp("lease_expires_at"))));
    } catch (SQLException | RuntimeException e) {
      for (Cursor<?> c : opened) {
        c.closeQuietly();
      }
      throw e;
    }
  }

  /** The next VM network with any row on any side, or empty when all are done. */
  Optional<Scope> next() throws SQLException {
    UUID key = min(min(allocations.key(), vnics.key()), observations.key());
    if (key == null) {
      return Optional.empty();
    }
    UUID tenant = allocations.tenantIf(key);
    tenant = tenant != null ? tenant : vnics.tenantIf(key);
    tenant = tenant != null ? tenant : observations.tenantIf(key);
    return Optional.of(
        new Scope(key, tenant, allocations.take(key), vnics.take(key), observations.take(key)));
  }

  @Override
  public void close() {
    allocations.closeQuietly();
    vnics.closeQuietly();
    observations.closeQuietly();
  }

  private static UUID min(UUID a, UUID b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return DATABASE_ORDER.compare(a, b) <= 0 ? a : b;
  }

  private static <T> Cursor<T> open(
      DataSource dataSource, List<Cursor<?>> opened, String sql, RowReader<T> reader)
      throws SQLException {
    Connection c = dataSource.getConnection();
    try {
      c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
      c.setReadOnly(true);
      PreparedStatement ps = c.prepareStatement(sql);
      ps.setFetchSize(FETCH_SIZE);
      Cursor<T> cursor = new Cursor<>(c, ps, ps.executeQuery(), reader);
      opened.add(cursor);
      cursor.advance();
      return cursor;
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private static Allocation allocation(ResultSet rs) throws SQLException {
    IpFamily family = rs.getInt("family") == 4 ? IpFamily.V4 : IpFamily.V6;
    return new Allocation(
        rs.getObject("pool_id", UUID.class),
        IpAddressValue.of(family, rs.getBigDecimal("num").toBigIntegerExact()).toString(),
        rs.getString("owner"),
        Objects.requireNonNull(rs.getTimestamp("allocated_at")).toInstant());
  }

  @FunctionalInterface
  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** One ordered result set with its current row read ahead. */
  private static final class Cursor<T> {
    private final Connection connection;
    private final PreparedStatement statement;
    private final ResultSet rows;
    private final RowReader<T> reader;
    private UUID key;
    private UUID tenant;
    private T row;

    Cursor(Connection connection, PreparedStatement statement, ResultSet rows, RowReader<T> r) {
      this.connection = connection;
      this.statement = statement;
      this.rows = rows;
      this.reader = r;
    }

    UUID key() {
      return key;
    }

    UUID tenantIf(UUID scope) {
      return scope.equals(key) ? tenant : null;
    }

    /** Every row of {@code scope} (none if this cursor is past or before it). */
    List<T> take(UUID scope) throws SQLException {
      List<T> out = new ArrayList<>();
      while (key != null && key.equals(scope)) {
        out.add(row);
        advance();
      }
      return out;
    }

    void advance() throws SQLException {
      if (!rows.next()) {
        key = null;
        row = null;
        return;
      }
      UUID next = rows.getObject("scope_id", UUID.class);
      if (key != null && DATABASE_ORDER.compare(next, key) < 0) {
        throw new IllegalStateException(
            "the database orders VM network ids differently from this merge: " + key + ", " + next);
      }
      key = next;
      tenant = rows.getObject("tenant_id", UUID.class);
      row = reader.read(rows);
    }

    void closeQuietly() {
      try (connection;
          statement;
          rows) {
        connection.rollback();
      } catch (SQLException e) {
        // closing a read-only cursor: nothing to keep
      }
    }
  }
}
