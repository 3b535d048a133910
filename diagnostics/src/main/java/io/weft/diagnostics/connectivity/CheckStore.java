package io.weft.diagnostics.connectivity;

import io.weft.dataplane.table.TableJson;
import io.weft.diagnostics.TraceAnswer;
import io.weft.fabric.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Checks in {@code diag_connectivity_check}, so that every replica can finish every answer. */
@Component
class CheckStore {

  private final JdbcClient jdbc;

  CheckStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void insert(CheckRow c) {
    jdbc.sql(
            "INSERT INTO diag_connectivity_check (id, tenant_id, requested_by, probe_id, icmp,"
                + " operator_view, trace_json, created_at) VALUES (:id, :tenant, :by, :probe, :icmp, :operatorView, :trace,"
                + " :at)")
        .param("id", c.id())
        .param("tenant", c.tenant().value())
        .param("by", c.requestedBy())
        .param("probe", c.probe())
        .param("icmp", c.icmp())
        .param("operatorView", c.operatorView())
        .param("trace", TableJson.mapper().writeValueAsString(c.trace()))
        .param("at", Timestamp.from(c.createdAt()))
        .update();
  }

  Optional<CheckRow> find(UUID id) {
    return jdbc.sql("SELECT * FROM diag_connectivity_check WHERE id = :id")
        .param("id", id)
        .query(CheckStore::row)
        .optional();
  }

  private static CheckRow row(ResultSet rs, int n) throws SQLException {
    return new CheckRow(
        rs.getObject("id", UUID.class),
        new TenantId(rs.getObject("tenant_id", UUID.class)),
        rs.getString("requested_by"),
        rs.getObject("probe_id", UUID.class),
        rs.getBoolean("icmp"),
        rs.getBoolean("operator_view"),
        TableJson.mapper().readValue(rs.getString("trace_json"), TraceAnswer.class),
        rs.getTimestamp("created_at").toInstant());
  }
}
