package io.weft.fabric.internal;

import io.weft.fabric.Caller;
import io.weft.fabric.SecurityAuditLog;
import io.weft.fabric.TenantId;
import java.sql.Timestamp;
import java.time.Clock;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Writes the audit log: who, when, which tenant, what, and how it ended. */
@Component
class AuditRecorder implements SecurityAuditLog {

  private final JdbcClient jdbc;
  private final Clock clock;

  AuditRecorder(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
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

  private static String truncate(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max);
  }
}
