package io.weft.diagnostics.probe;

import io.weft.fabric.HostId;
import io.weft.fabric.TenantId;
import io.weft.fabric.VnicId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Probes in {@code diag_probe}, so that every replica answers for every probe. */
@Component
class ProbeStore {

  private final JdbcClient jdbc;

  ProbeStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void insert(ProbeRow p) {
    jdbc.sql(
            "INSERT INTO diag_probe (id, tenant_id, requested_by, source_vnic, source_host,"
                + " destination, destination_host, count_sent, timeout_ms, inject_command,"
                + " watch_command, refusal, created_at) VALUES (:id, :tenant, :by, :vnic, :src,"
                + " :dst, :dstHost, :count, :timeout, :inject, :watch, :refusal, :at)")
        .param("id", p.id())
        .param("tenant", p.tenant().value())
        .param("by", p.requestedBy())
        .param("vnic", p.sourceVnic().value())
        .param("src", p.sourceHost() == null ? null : p.sourceHost().value())
        .param("dst", p.destination())
        .param("dstHost", p.destinationHost() == null ? null : p.destinationHost().value())
        .param("count", p.count())
        .param("timeout", p.timeoutMs())
        .param("inject", p.injectCommand())
        .param("watch", p.watchCommand())
        .param("refusal", p.refusal())
        .param("at", Timestamp.from(p.createdAt()))
        .update();
  }

  void commands(UUID probe, UUID inject, UUID watch) {
    jdbc.sql("UPDATE diag_probe SET inject_command = :i, watch_command = :w WHERE id = :id")
        .param("i", inject)
        .param("w", watch)
        .param("id", probe)
        .update();
  }

  void refuse(UUID probe, String refusal) {
    jdbc.sql("UPDATE diag_probe SET refusal = :r WHERE id = :id")
        .param("r", refusal.length() > 1000 ? refusal.substring(0, 1000) : refusal)
        .param("id", probe)
        .update();
  }

  Optional<ProbeRow> find(UUID id) {
    return jdbc.sql("SELECT * FROM diag_probe WHERE id = :id")
        .param("id", id)
        .query(ProbeStore::row)
        .optional();
  }

  long sinceForTenant(TenantId tenant, Instant since) {
    return jdbc.sql("SELECT COUNT(*) FROM diag_probe WHERE tenant_id = :t AND created_at >= :s")
        .param("t", tenant.value())
        .param("s", Timestamp.from(since))
        .query(Long.class)
        .single();
  }

  long sinceForHost(HostId host, Instant since) {
    return jdbc.sql("SELECT COUNT(*) FROM diag_probe WHERE source_host = :h AND created_at >= :s")
        .param("h", host.value())
        .param("s", Timestamp.from(since))
        .query(Long.class)
        .single();
  }

  private static ProbeRow row(ResultSet rs, int n) throws SQLException {
    UUID src = rs.getObject("source_host", UUID.class);
    UUID dst = rs.getObject("destination_host", UUID.class);
    return new ProbeRow(
        rs.getObject("id", UUID.class),
        new TenantId(rs.getObject("tenant_id", UUID.class)),
        rs.getString("requested_by"),
        new VnicId(rs.getObject("source_vnic", UUID.class)),
        src == null ? null : new HostId(src),
        rs.getString("destination"),
        dst == null ? null : new HostId(dst),
        rs.getInt("count_sent"),
        rs.getInt("timeout_ms"),
        rs.getObject("inject_command", UUID.class),
        rs.getObject("watch_command", UUID.class),
        rs.getString("refusal"),
        rs.getTimestamp("created_at").toInstant());
  }
}
