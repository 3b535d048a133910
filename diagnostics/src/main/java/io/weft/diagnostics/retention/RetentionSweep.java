package io.weft.diagnostics.retention;

import io.weft.dataplane.agent.ProbeCommands;
import io.weft.diagnostics.DiagnosticsRetention;
import io.weft.diagnostics.PrunedRows;
import io.weft.fabric.SecurityAuditLog;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * {@link DiagnosticsRetention} over the diagnostics tables, the reconciliation's CLOSED findings
 * and the security audit log (a pass that deletes audit entries says so in the log). Each kind of
 * row has one rule: a query naming a batch of expired rows, oldest first, and a DELETE of exactly
 * those (plain SQL that runs on H2 and PostgreSQL; every row is chosen by an index on its time).
 * Each batch commits on its own, so a pass never holds locks for long nor one huge transaction's
 * worth of dead rows.
 *
 * <p>What is under way is never due: a probe or check while one of its agent commands is pending or
 * delivered and not past its deadline (its poller may still be waiting on it), a capture while its
 * command is, and a command while a probe or a running capture names it. The rules run in an order
 * that frees rows for the next: checks before their probes, probes and captures before their
 * commands.
 */
@Service
@EnableConfigurationProperties(RetentionProperties.class)
class RetentionSweep implements DiagnosticsRetention {

  private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);

  /** A command not finished yet: its agent may still answer, and someone may wait for that. */
  private static final String UNFINISHED =
      "c.state IN ('PENDING', 'DELIVERED') AND c.deadline > :now";

  private static final String PROBE_RUNNING =
      "EXISTS (SELECT 1 FROM diag_agent_command c WHERE c.id IN (p.inject_command,"
          + " p.watch_command) AND "
          + UNFINISHED
          + ")";

  private static final String PROBE_KINDS =
      "('" + ProbeCommands.INJECT + "', '" + ProbeCommands.WATCH + "')";

  /** The security audit log's entries, in the run's summary. */
  static final String AUDIT_ENTRIES = "audit entries";

  /** One kind of row: its name in the run's summary, how long it is kept, and its batch. */
  private record Rule(String name, Duration retention, String table, String select) {}

  private final JdbcClient jdbc;
  private final Clock clock;
  private final RetentionProperties props;
  private final SecurityAuditLog audit;
  private final List<Rule> rules;

  @Autowired
  RetentionSweep(
      JdbcClient jdbc,
      Clock clock,
      RetentionProperties props,
      SecurityAuditLog audit,
      @Value("${weft.diagnostics.drop-retention:24h}") Duration drops,
      @Value("${weft.diagnostics.capture.retention-hours:24}") int captureHours) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.props = props;
    this.audit = audit;
    if (drops.compareTo(RetentionProperties.SHORTEST) < 0 || captureHours < 1) {
      throw new IllegalArgumentException(
          "weft.diagnostics.drop-retention must be at least "
              + RetentionProperties.SHORTEST
              + " and weft.diagnostics.capture.retention-hours at least 1");
    }
    Duration captures = Duration.ofHours(captureHours);
    this.rules =
        List.of(
            new Rule(
                "connectivity checks",
                props.probes(),
                "diag_connectivity_check",
                "SELECT k.id FROM diag_connectivity_check k WHERE k.created_at < :cutoff AND NOT"
                    + " EXISTS (SELECT 1 FROM diag_probe p WHERE p.id = k.probe_id AND "
                    + PROBE_RUNNING
                    + ") ORDER BY k.created_at"),
            new Rule(
                "probes",
                props.probes(),
                "diag_probe",
                "SELECT p.id FROM diag_probe p WHERE p.created_at < :cutoff AND NOT "
                    + PROBE_RUNNING
                    + " AND NOT EXISTS (SELECT 1 FROM diag_connectivity_check k"
                    + " WHERE k.probe_id = p.id) ORDER BY p.created_at"),
            new Rule(
                "captures",
                captures,
                "diag_capture",
                "SELECT d.id FROM diag_capture d WHERE d.requested_at < :cutoff AND (d.state <>"
                    + " 'RUNNING' OR NOT EXISTS (SELECT 1 FROM diag_agent_command c"
                    + " WHERE c.id = d.command_id AND "
                    + UNFINISHED
                    + ")) ORDER BY d.requested_at"),
            new Rule(
                "probe commands",
                props.probes(),
                "diag_agent_command",
                "SELECT c.id FROM diag_agent_command c WHERE c.kind IN "
                    + PROBE_KINDS
                    + " AND c.created_at < :cutoff AND NOT ("
                    + UNFINISHED
                    + ") AND NOT EXISTS (SELECT 1 FROM diag_probe p WHERE p.inject_command ="
                    + " c.id) AND NOT EXISTS (SELECT 1 FROM diag_probe p WHERE p.watch_command ="
                    + " c.id) ORDER BY c.created_at"),
            new Rule(
                "agent commands",
                props.commands(),
                "diag_agent_command",
                "SELECT c.id FROM diag_agent_command c WHERE c.kind NOT IN "
                    + PROBE_KINDS
                    + " AND c.created_at < :cutoff AND NOT ("
                    + UNFINISHED
                    + ") AND NOT EXISTS (SELECT 1 FROM diag_capture d WHERE d.command_id = c.id"
                    + " AND d.state = 'RUNNING') ORDER BY c.created_at"),
            new Rule(
                "drop records",
                drops,
                "diag_drop_record",
                "SELECT r.id FROM diag_drop_record r WHERE r.reported_at < :cutoff"
                    + " ORDER BY r.reported_at"),
            new Rule(
                "job runs",
                props.runHistory(),
                "recon_run",
                "SELECT r.id FROM recon_run r WHERE r.started_at < :cutoff AND r.status <>"
                    + " 'RUNNING' ORDER BY r.started_at"),
            new Rule(
                "closed findings",
                props.closedFindings(),
                "recon_finding",
                "SELECT f.id FROM recon_finding f WHERE f.state = 'CLOSED' AND f.closed_at <"
                    + " :cutoff ORDER BY f.closed_at"),
            new Rule(
                AUDIT_ENTRIES,
                props.auditLog(),
                "fabric_audit",
                "SELECT a.id FROM fabric_audit a WHERE a.at < :cutoff ORDER BY a.at"));
  }

  @Override
  public PrunedRows pruneExpired() {
    long started = System.nanoTime();
    long budget = props.runBudget().toNanos();
    Instant now = clock.instant();
    Map<String, Long> deleted = new LinkedHashMap<>();
    boolean complete = true;
    rules:
    for (Rule rule : rules) {
      Instant cutoff = now.minus(rule.retention());
      long total = 0;
      while (true) {
        int n = deleteBatch(rule, cutoff, now);
        total += n;
        if (n < props.batchSize()) {
          break;
        }
        if (System.nanoTime() - started >= budget) {
          complete = false;
          deleted.put(rule.name(), total);
          break rules;
        }
      }
      deleted.put(rule.name(), total);
    }
    long auditDeleted = deleted.getOrDefault(AUDIT_ENTRIES, 0L);
    if (auditDeleted > 0) { // what leaves the audit log is told there
      audit.record(
          "system:diagnostics-retention",
          null,
          "audit.pruned",
          null,
          "OK",
          "deleted " + auditDeleted + " entries older than " + words(props.auditLog()));
    }
    PrunedRows pruned = new PrunedRows(deleted, complete);
    if (pruned.total() > 0) {
      log.info("Diagnostics retention: {}", pruned.summary());
    }
    return pruned;
  }

  /** "90 days" for whole days, else the ISO form ("PT12H"). */
  private static String words(Duration d) {
    return d.equals(Duration.ofDays(d.toDays())) ? d.toDays() + " days" : d.toString();
  }

  private int deleteBatch(Rule rule, Instant cutoff, Instant now) {
    return jdbc.sql(
            "DELETE FROM "
                + rule.table()
                + " WHERE id IN ("
                + rule.select()
                + " FETCH FIRST "
                + props.batchSize()
                + " ROWS ONLY)")
        .param("cutoff", Timestamp.from(cutoff))
        .param("now", Timestamp.from(now))
        .update();
  }
}
