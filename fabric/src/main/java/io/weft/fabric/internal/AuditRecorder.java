package io.weft.fabric.internal;

import io.weft.fabric.AuditEntry;
import io.weft.fabric.AuditLog;
import io.weft.fabric.Caller;
import io.weft.fabric.SecurityAuditLog;
import io.weft.fabric.TenantId;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Writes and reads the audit log: who, when, which tenant, what, and how it ended. */
@Component
class AuditRecorder implements AuditLog, SecurityAuditLog {

  private final JdbcClient jdbc;
  private final Clock clock;
  private final Authorizer authorizer;

  AuditRecorder(JdbcClient jdbc, Clock clock, Authorizer authorizer) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.authorizer = authorizer;
  }

  void write(
      Caller caller, TenantId tenant, String action, String target, String result, String detail) {
    insert(caller.username(), tenant, action, target, result, detail);
  }

  @Override
  public void record(
      String actor, TenantId tenant, String action, String target, String result, String detail) {
    insert(truncate(actor == null ? "" : actor, 254), tenant, action, target, result, detail);
  }

  private void insert(
      String actor, TenantId tenant, String action, String target, String result, String detail) {
    jdbc.sql(
            "INSERT INTO fabric_audit (at, actor, tenant_id, action, target, result, detail)"
                + " VALUES (:at, :actor, :tenant, :action, :target, :result, :detail)")
        .param("at", Timestamp.from(clock.instant()))
        .param("actor", actor)
        .param("tenant", tenant == null ? null : tenant.value())
        .param("action", action)
        .param("target", truncate(target, 200))
        .param("result", result)
        .param("detail", truncate(detail, 1000))
        .update();
  }

  @Override
  public List<AuditEntry> recent(Caller caller, TenantId tenantOrNull, int limit) {
    int rows = Math.clamp(limit, 1, 1000);
    if (tenantOrNull == null) {
      authorizer.requireOperator(caller, "read the whole audit log");
      return jdbc.sql(
              "SELECT * FROM fabric_audit ORDER BY id DESC FETCH FIRST " + rows + " ROWS ONLY")
          .query(AuditRecorder::entry)
          .list();
    }
    authorizer.requireTenantAdmin(caller, tenantOrNull);
    return jdbc.sql(
            "SELECT * FROM fabric_audit WHERE tenant_id = :tenant ORDER BY id DESC FETCH FIRST "
                + rows
                + " ROWS ONLY")
        .param("tenant", tenantOrNull.value())
        .query(AuditRecorder::entry)
        .list();
  }

  private static AuditEntry entry(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    UUID tenant = rs.getObject("tenant_id", UUID.class);
    return new AuditEntry(
        rs.getLong("id"),
        rs.getTimestamp("at").toInstant(),
        rs.getString("actor"),
        tenant == null ? null : tenant.toString(),
        rs.getString("action"),
        rs.getString("target"),
        rs.getString("result"),
        rs.getString("detail"));
  }

  private static String truncate(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max);
  }
}
