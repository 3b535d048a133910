package io.weft.diagnostics.audit;

import io.weft.dataplane.table.TableJson;
import io.weft.diagnostics.DriftReport;
import io.weft.diagnostics.HostDrift;
import io.weft.fabric.HostId;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The latest audit per host, in the database so every replica serves the same answer. */
@Component
class DriftStore {

  private final JdbcClient jdbc;

  DriftStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Replaces the stored audit with {@code report} (hosts gone since are forgotten). */
  @Transactional
  public void save(DriftReport report) {
    jdbc.sql("DELETE FROM diag_host_drift").update();
    for (HostDrift h : report.hosts()) {
      jdbc.sql(
              "INSERT INTO diag_host_drift (host_id, host_name, verdict, drifting, behind_since,"
                  + " checked_at, detail) VALUES (:id, :name, :verdict, :drifting, :behind, :at,"
                  + " :detail)")
          .param("id", h.hostId().value())
          .param("name", h.hostName())
          .param("verdict", h.verdict().name())
          .param("drifting", h.drifting())
          .param("behind", h.behindSince() == null ? null : Timestamp.from(h.behindSince()))
          .param("at", Timestamp.from(report.at()))
          .param("detail", TableJson.mapper().writeValueAsString(h))
          .update();
    }
  }

  /** When each host stored as behind was first seen behind. */
  public Map<HostId, Instant> behindSince() {
    Map<HostId, Instant> out = new HashMap<>();
    jdbc.sql("SELECT host_id, behind_since FROM diag_host_drift WHERE behind_since IS NOT NULL")
        .query(rs -> {
          out.put(
              new HostId(rs.getObject(1, java.util.UUID.class)), rs.getTimestamp(2).toInstant());
        });
    return out;
  }

  public Optional<DriftReport> latest() {
    List<Object[]> rows =
        jdbc.sql("SELECT detail, checked_at FROM diag_host_drift")
            .query((rs, n) -> new Object[] {rs.getString(1), rs.getTimestamp(2).toInstant()})
            .list();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Instant at =
        rows.stream().map(r -> (Instant) r[1]).max(Comparator.naturalOrder()).orElseThrow();
    List<HostDrift> hosts =
        rows.stream()
            .map(r -> TableJson.mapper().readValue((String) r[0], HostDrift.class))
            .sorted(Comparator.comparing(HostDrift::hostName))
            .toList();
    return Optional.of(new DriftReport(at, hosts));
  }
}
