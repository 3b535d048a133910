package io.weft.diagnostics.retention;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Rows of the diagnostics tables as the services write them, dated as a test needs. */
final class DiagnosticsRows {

  private final JdbcClient jdbc;

  /** The host every row here names, so one test's counts see its own rows only. */
  final UUID host = UUID.randomUUID();

  DiagnosticsRows(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  UUID command(String kind, String state, Instant createdAt, Instant deadline) {
    return insert(
        "INSERT INTO diag_agent_command (id, host_id, kind, payload, state, created_at, deadline)"
            + " VALUES (:id, :host, :kind, '{}', :state, :at, :deadline)",
        "host",
        host,
        "kind",
        kind,
        "state",
        state,
        "at",
        Timestamp.from(createdAt),
        "deadline",
        Timestamp.from(deadline));
  }

  UUID probe(Instant createdAt, UUID inject, UUID watch) {
    return insert(
        "INSERT INTO diag_probe (id, tenant_id, requested_by, source_vnic, source_host,"
            + " destination, count_sent, timeout_ms, inject_command, watch_command, created_at)"
            + " VALUES (:id, :tenant, 't', :vnic, :host, '10.0.0.2', 1, 2000, :inject, :watch,"
            + " :at)",
        "tenant",
        UUID.randomUUID(),
        "vnic",
        UUID.randomUUID(),
        "host",
        host,
        "inject",
        inject,
        "watch",
        watch,
        "at",
        Timestamp.from(createdAt));
  }

  UUID check(UUID probe, Instant createdAt) {
    return insert(
        "INSERT INTO diag_connectivity_check (id, tenant_id, requested_by, probe_id, icmp,"
            + " operator_view, trace_json, created_at) VALUES (:id, :tenant, 't', :probe, TRUE,"
            + " FALSE, '{}', :at)",
        "tenant",
        UUID.randomUUID(),
        "probe",
        probe,
        "at",
        Timestamp.from(createdAt));
  }

  UUID capture(String state, Instant requestedAt, UUID command) {
    return insert(
        "INSERT INTO diag_capture (id, requested_by, host_id, target, max_packets, max_seconds,"
            + " max_bytes, filter_text, command_id, state, requested_at) VALUES (:id, 'op', :host,"
            + " 'underlay', 10, 10, 65536, '', :command, :state, :at)",
        "host",
        host,
        "command",
        command,
        "state",
        state,
        "at",
        Timestamp.from(requestedAt));
  }

  void drop(long sequence, Instant reportedAt) {
    jdbc.sql(
            "INSERT INTO diag_drop_record (host_id, sequence_no, dropped_at, vsid, source_port,"
                + " destination_port, reason, decided_by, table_generation, reported_at)"
                + " VALUES (:host, :seq, :at, 5001, 0, 0, 'NO_ROUTE', 'test', 1, :at)")
        .param("host", host)
        .param("seq", sequence)
        .param("at", Timestamp.from(reportedAt))
        .update();
  }

  long drops() {
    return jdbc.sql("SELECT count(*) FROM diag_drop_record WHERE host_id = :host")
        .param("host", host)
        .query(Long.class)
        .single();
  }

  UUID run(String status, Instant startedAt) {
    return insert(
        "INSERT INTO recon_run (id, job_name, trigger_kind, node, status, dry_run, started_at)"
            + " VALUES (:id, 'test-job', 'SCHEDULED', :node, :status, FALSE, :at)",
        "node",
        host.toString(),
        "status",
        status,
        "at",
        Timestamp.from(startedAt));
  }

  /**
   * Inserts one row under a fresh {@code :id}, its other parameters given as name, value, name,
   * value... (a value may be null); answers the id.
   */
  private UUID insert(String sql, Object... namesAndValues) {
    UUID id = UUID.randomUUID();
    Map<String, Object> params = new HashMap<>();
    params.put("id", id);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      params.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    jdbc.sql(sql).params(params).update();
    return id;
  }

  /** A reconciliation finding in {@code state}, closed then (null: not closed). */
  UUID finding(String state, Instant closedAt) {
    Instant seen = closedAt == null ? Instant.now() : closedAt;
    return insert(
        "INSERT INTO recon_finding (id, scope, address, category, state, evidence, evidence_key,"
            + " first_seen_at, last_seen_at, closed_at, last_run_id) VALUES (:id, :scope,"
            + " '10.0.0.9', 'UNKNOWN', :state, 'test', 'test', :seen, :seen, :closed, :run)",
        "scope",
        "test:" + UUID.randomUUID(),
        "state",
        state,
        "seen",
        Timestamp.from(seen.minusSeconds(60)),
        "closed",
        closedAt == null ? null : Timestamp.from(closedAt),
        "run",
        UUID.randomUUID());
  }

  /** An entry of the security audit log; its target is {@code target}. */
  void auditEntry(String target, Instant at) {
    jdbc.sql(
            "INSERT INTO fabric_audit (at, actor, action, target, result) VALUES (:at, 'test',"
                + " 'test.retention', :target, 'OK')")
        .param("at", Timestamp.from(at))
        .param("target", target)
        .update();
  }

  /** How many entries of the security audit log have this target. */
  long auditEntries(String target) {
    return jdbc.sql("SELECT count(*) FROM fabric_audit WHERE target = :target")
        .param("target", target)
        .query(Long.class)
        .single();
  }

  void finish(UUID command) {
    jdbc.sql("UPDATE diag_agent_command SET state = 'SUCCEEDED' WHERE id = :id")
        .param("id", command)
        .update();
  }

  boolean exists(String table, UUID id) {
    return jdbc.sql("SELECT count(*) FROM " + table + " WHERE id = :id")
            .param("id", id)
            .query(Integer.class)
            .single()
        == 1;
  }
}
