package io.weft.diagnostics.drops;

import io.weft.diagnostics.ReportedDrop;
import io.weft.fabric.HostId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code diag_drop_record} and {@code diag_drop_loss}: at most {@code perHost} records per host
 * (the oldest beyond it are deleted and counted lost); the diagnostics retention job deletes those
 * older than {@code weft.diagnostics.drop-retention}.
 */
@Component
class DropStore {

  private final JdbcClient jdbc;

  DropStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A stored row, as the query answers it. */
  record Row(UUID host, UUID vmNetwork, ReportedDrop drop) {}

  /** Records of one VM network lost on a host (tenant null when it could not be resolved). */
  record NetworkLoss(UUID vmNetwork, UUID tenant, long lost) {}

  /**
   * Inserts the records not stored yet, trims the host to {@code perHost}, counts the losses: the
   * host's total, and per VM network those the agent attributed and those trimmed here.
   */
  @Transactional
  void add(
      HostId host,
      List<StoredDrop> drops,
      long reportedLost,
      List<NetworkLoss> reportedByNetwork,
      int perHost,
      Instant now) {
    lockHost(host, now);
    Set<String> known = new HashSet<>();
    if (!drops.isEmpty()) {
      long min = drops.stream().mapToLong(d -> d.drop().sequence()).min().orElseThrow();
      long max = drops.stream().mapToLong(d -> d.drop().sequence()).max().orElseThrow();
      jdbc.sql(
              "SELECT sequence_no, dropped_at FROM diag_drop_record WHERE host_id = :h AND"
                  + " sequence_no BETWEEN :min AND :max")
          .param("h", host.value())
          .param("min", min)
          .param("max", max)
          .query((rs, i) -> key(rs.getLong(1), rs.getTimestamp(2).toInstant()))
          .list()
          .forEach(known::add);
    }
    for (StoredDrop s : drops) {
      ReportedDrop d = s.drop();
      if (!known.add(key(d.sequence(), d.at()))) {
        continue; // a report resent after its answer was lost
      }
      jdbc.sql(
              "INSERT INTO diag_drop_record (host_id, sequence_no, dropped_at, tenant_id,"
                  + " vm_network_id, port_id, vsid, source_address, destination_address, protocol,"
                  + " source_port, destination_port, reason, decided_by, table_generation,"
                  + " outer_source, reported_at) VALUES (:h, :seq, :at, :tenant, :net, :port,"
                  + " :vsid, :src, :dst, :proto, :sport, :dport, :reason, :decided, :gen, :outer,"
                  + " :now)")
          .param("h", host.value())
          .param("seq", d.sequence())
          .param("at", Timestamp.from(d.at()))
          .param("tenant", s.tenant())
          .param("net", s.vmNetwork())
          .param("port", d.portId())
          .param("vsid", d.vsid())
          .param("src", d.source())
          .param("dst", d.destination())
          .param("proto", d.protocol())
          .param("sport", d.sourcePort())
          .param("dport", d.destinationPort())
          .param("reason", d.reason())
          .param("decided", d.decidedBy())
          .param("gen", d.generation())
          .param("outer", d.outerSource())
          .param("now", Timestamp.from(now))
          .update();
    }
    List<NetworkLoss> byNetwork = new ArrayList<>(reportedByNetwork);
    long lost = reportedLost + trim(host, perHost, byNetwork);
    if (lost > 0) {
      addLost(host, lost, now);
    }
    for (NetworkLoss n : byNetwork) {
      addLost(host, n, now);
    }
  }

  /**
   * Takes the host's loss row (made with nothing lost if it is new) for this transaction, so two
   * reports of one host are stored one after the other and the second skips what the first stored.
   */
  private void lockHost(HostId host, Instant now) {
    int n =
        jdbc.sql("UPDATE diag_drop_loss SET lost = lost WHERE host_id = :h")
            .param("h", host.value())
            .update();
    if (n == 0) { // two first reports racing here: one gets a duplicate key and is tried again
      jdbc.sql("INSERT INTO diag_drop_loss (host_id, lost, updated_at) VALUES (:h, 0, :now)")
          .param("now", Timestamp.from(now))
          .param("h", host.value())
          .update();
    }
  }

  private static String key(long sequence, Instant at) {
    return sequence + "@" + at.toEpochMilli();
  }

  /**
   * Deletes the host's records beyond the newest {@code keep}; returns how many, and adds those of
   * each VM network to {@code byNetwork}.
   */
  private int trim(HostId host, int keep, List<NetworkLoss> byNetwork) {
    Long boundary =
        jdbc.sql(
                "SELECT id FROM diag_drop_record WHERE host_id = :h ORDER BY id DESC OFFSET :keep"
                    + " ROWS FETCH FIRST 1 ROWS ONLY")
            .param("h", host.value())
            .param("keep", keep)
            .query(Long.class)
            .optional()
            .orElse(null);
    if (boundary == null) {
      return 0;
    }
    jdbc.sql(
            "SELECT vm_network_id, tenant_id, COUNT(*) FROM diag_drop_record WHERE host_id = :h"
                + " AND id <= :id AND vm_network_id IS NOT NULL GROUP BY vm_network_id, tenant_id")
        .param("h", host.value())
        .param("id", boundary)
        .query((rs, i) ->
            new NetworkLoss(
                rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getLong(3)))
        .list()
        .forEach(byNetwork::add);
    return jdbc.sql("DELETE FROM diag_drop_record WHERE host_id = :h AND id <= :id")
        .param("h", host.value())
        .param("id", boundary)
        .update();
  }

  private void addLost(HostId host, long lost, Instant now) {
    int n =
        jdbc.sql(
                "UPDATE diag_drop_loss SET lost = lost + :lost, updated_at = :now WHERE host_id ="
                    + " :h")
            .param("lost", lost)
            .param("now", Timestamp.from(now))
            .param("h", host.value())
            .update();
    if (n == 0) {
      jdbc.sql("INSERT INTO diag_drop_loss (host_id, lost, updated_at) VALUES (:h, :lost, :now)")
          .param("lost", lost)
          .param("now", Timestamp.from(now))
          .param("h", host.value())
          .update();
    }
  }

  private void addLost(HostId host, NetworkLoss loss, Instant now) {
    int n =
        jdbc.sql(
                "UPDATE diag_drop_loss_network SET lost = lost + :lost, updated_at = :now,"
                    + " tenant_id = COALESCE(tenant_id, :tenant) WHERE host_id = :h AND"
                    + " vm_network_id = :net")
            .param("lost", loss.lost())
            .param("now", Timestamp.from(now))
            .param("tenant", loss.tenant())
            .param("h", host.value())
            .param("net", loss.vmNetwork())
            .update();
    if (n == 0) {
      jdbc.sql(
              "INSERT INTO diag_drop_loss_network (host_id, vm_network_id, tenant_id, lost,"
                  + " updated_at) VALUES (:h, :net, :tenant, :lost, :now)")
          .param("lost", loss.lost())
          .param("now", Timestamp.from(now))
          .param("tenant", loss.tenant())
          .param("h", host.value())
          .param("net", loss.vmNetwork())
          .update();
    }
  }

  /** Records of the tenant's VM networks (or of one of them) lost, on any host. */
  long lostOfTenant(UUID tenant, UUID vmNetwork) {
    return jdbc.sql(
            "SELECT COALESCE(SUM(lost), 0) FROM diag_drop_loss_network WHERE tenant_id = :t"
                + (vmNetwork == null ? "" : " AND vm_network_id = :net"))
        .param("t", tenant)
        .params(vmNetwork == null ? Map.of() : Map.of("net", vmNetwork))
        .query(Long.class)
        .single();
  }

  /** Records of a VM network lost, on one host or (host null) on any. */
  long lostOfNetwork(UUID vmNetwork, UUID host) {
    return jdbc.sql(
            "SELECT COALESCE(SUM(lost), 0) FROM diag_drop_loss_network WHERE vm_network_id = :net"
                + (host == null ? "" : " AND host_id = :h"))
        .param("net", vmNetwork)
        .params(host == null ? Map.of() : Map.of("h", host))
        .query(Long.class)
        .single();
  }

  /**
   * The newest records matching every non-null filter.
   *
   * @param tenant only this tenant's VM networks (null: any, including nobody's)
   */
  List<Row> newest(UUID tenant, UUID vmNetwork, UUID host, int limit) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT host_id, vm_network_id, sequence_no, dropped_at, port_id, vsid,"
                + " source_address, destination_address, protocol, source_port, destination_port,"
                + " reason, decided_by, table_generation, outer_source FROM diag_drop_record WHERE"
                + " 1 = 1");
    if (tenant != null) {
      sql.append(" AND tenant_id = :tenant");
    }
    if (vmNetwork != null) {
      sql.append(" AND vm_network_id = :net");
    }
    if (host != null) {
      sql.append(" AND host_id = :host");
    }
    sql.append(" ORDER BY dropped_at DESC, id DESC FETCH FIRST ")
        .append(limit)
        .append(" ROWS ONLY");
    var statement = jdbc.sql(sql.toString());
    if (tenant != null) {
      statement = statement.param("tenant", tenant);
    }
    if (vmNetwork != null) {
      statement = statement.param("net", vmNetwork);
    }
    if (host != null) {
      statement = statement.param("host", host);
    }
    return statement.query(DropStore::row).list();
  }

  private static Row row(ResultSet rs, int i) throws SQLException {
    return new Row(
        rs.getObject("host_id", UUID.class),
        rs.getObject("vm_network_id", UUID.class),
        new ReportedDrop(
            rs.getLong("sequence_no"),
            rs.getTimestamp("dropped_at").toInstant(),
            rs.getString("port_id"),
            rs.getInt("vsid"),
            rs.getString("source_address"),
            rs.getString("destination_address"),
            rs.getString("protocol"),
            rs.getInt("source_port"),
            rs.getInt("destination_port"),
            rs.getString("reason"),
            rs.getString("decided_by"),
            rs.getLong("table_generation"),
            rs.getString("outer_source")));
  }

  /** Records lost on these hosts (all hosts when null). */
  long lost(Collection<UUID> hosts) {
    if (hosts == null) {
      return jdbc.sql("SELECT COALESCE(SUM(lost), 0) FROM diag_drop_loss")
          .query(Long.class)
          .single();
    }
    if (hosts.isEmpty()) {
      return 0;
    }
    return jdbc.sql("SELECT COALESCE(SUM(lost), 0) FROM diag_drop_loss WHERE host_id IN (:hosts)")
        .param("hosts", new ArrayList<>(hosts))
        .query(Long.class)
        .single();
  }
}
