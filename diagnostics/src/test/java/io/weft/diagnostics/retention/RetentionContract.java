package io.weft.diagnostics.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.diagnostics.DiagnosticsRetention;
import io.weft.diagnostics.PrunedRows;
import io.weft.fabric.SecurityAuditLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The diagnostics retention, the same on H2 and PostgreSQL: rows older than their retention go,
 * newer ones stay; a probe (with its check and commands) or a capture still under way stays
 * whatever its age; a pass deletes in batches and leaves the rest when its budget is spent. The
 * retentions are the defaults: probes and checks 24 h, other commands 1 h, captures 24 h, drop
 * records 24 h, job runs 7 days, CLOSED findings 30 days, the security audit log 90 days.
 */
abstract class RetentionContract {

  private static final String PROBE = "diag_probe";
  private static final String CHECK = "diag_connectivity_check";
  private static final String COMMAND = "diag_agent_command";
  private static final String CAPTURE = "diag_capture";
  private static final String RUN = "recon_run";
  private static final String FINDING = "recon_finding";

  @Autowired JdbcClient jdbc;
  @Autowired Clock clock;
  @Autowired DiagnosticsRetention retention;
  @Autowired SecurityAuditLog audit;

  private DiagnosticsRows rows;
  private Instant now;

  @BeforeEach
  void rows() {
    rows = new DiagnosticsRows(jdbc);
    now = clock.instant();
  }

  /** A minute past {@code retention}: due. */
  private Instant expired(Duration retention) {
    return now.minus(retention).minusSeconds(60);
  }

  /** A minute short of {@code retention}: kept. */
  private Instant kept(Duration retention) {
    return now.minus(retention).plusSeconds(60);
  }

  private UUID finishedCommand(String kind, Instant at) {
    return rows.command(kind, "SUCCEEDED", at, at.plusSeconds(10));
  }

  @Test
  void rowsOlderThanTheirRetentionGoAndNewerOnesStay() {
    Duration day = Duration.ofHours(24);
    Instant oldAt = expired(day);
    UUID oldInject = finishedCommand("PROBE_INJECT", oldAt);
    UUID oldWatch = finishedCommand("PROBE_WATCH", oldAt);
    UUID oldProbe = rows.probe(oldAt, oldInject, oldWatch);
    UUID oldCheck = rows.check(oldProbe, oldAt);
    Instant newAt = kept(day);
    UUID newInject = finishedCommand("PROBE_INJECT", newAt);
    UUID newProbe = rows.probe(newAt, newInject, null);
    UUID newCheck = rows.check(newProbe, newAt);
    UUID oldEntries = finishedCommand("REPORT_ENTRIES", expired(Duration.ofHours(1)));
    UUID newEntries = finishedCommand("REPORT_ENTRIES", kept(Duration.ofHours(1)));
    UUID oldCapture = rows.capture("DONE", oldAt, null);
    UUID failedCapture = rows.capture("FAILED", oldAt, null);
    UUID newCapture = rows.capture("DONE", newAt, null);
    rows.drop(1, oldAt);
    rows.drop(2, newAt);
    UUID oldRun = rows.run("SUCCEEDED", expired(Duration.ofDays(7)));
    UUID newRun = rows.run("FAILED", kept(Duration.ofDays(7)));

    PrunedRows pruned = retention.pruneExpired();

    assertThat(pruned.complete()).isTrue();
    assertThat(pruned.deleted())
        .containsKeys(
            "connectivity checks",
            "probes",
            "captures",
            "probe commands",
            "agent commands",
            "drop records",
            "job runs",
            "closed findings",
            "audit entries");
    assertThat(pruned.summary()).startsWith("deleted ").contains("probes");
    for (var gone :
        new Object[][] {
          {CHECK, oldCheck},
          {PROBE, oldProbe},
          {COMMAND, oldInject},
          {COMMAND, oldWatch},
          {COMMAND, oldEntries},
          {CAPTURE, oldCapture},
          {CAPTURE, failedCapture},
          {RUN, oldRun}
        }) {
      assertThat(rows.exists((String) gone[0], (UUID) gone[1])).as("%s %s", gone).isFalse();
    }
    for (var stays :
        new Object[][] {
          {CHECK, newCheck},
          {PROBE, newProbe},
          {COMMAND, newInject},
          {COMMAND, newEntries},
          {CAPTURE, newCapture},
          {RUN, newRun}
        }) {
      assertThat(rows.exists((String) stays[0], (UUID) stays[1])).as("%s %s", stays).isTrue();
    }
    assertThat(rows.drops()).as("the newer drop record").isEqualTo(1);
  }

  @Test
  void closedFindingsAndAuditEntriesOlderThanTheirRetentionGoAndTheRestStays() {
    Duration findings = Duration.ofDays(30);
    UUID oldClosed = rows.finding("CLOSED", expired(findings));
    UUID newClosed = rows.finding("CLOSED", kept(findings));
    Instant longAgo = now.minus(Duration.ofDays(400));
    UUID open = rows.finding("OPEN", null);
    UUID ignored = rows.finding("IGNORED", null);
    UUID fixed = rows.finding("FIXED", longAgo);
    UUID resolved = rows.finding("RESOLVED", null);
    Duration auditLog = Duration.ofDays(90);
    String target = "retention-" + UUID.randomUUID();
    rows.auditEntry(target, expired(auditLog));
    rows.auditEntry(target, expired(auditLog).minus(Duration.ofDays(300)));
    rows.auditEntry(target, kept(auditLog));

    PrunedRows pruned = retention.pruneExpired();

    assertThat(rows.exists(FINDING, oldClosed)).as("closed 30 days and a minute ago").isFalse();
    for (UUID stays : new UUID[] {newClosed, open, ignored, fixed, resolved}) {
      assertThat(rows.exists(FINDING, stays)).as("finding %s", stays).isTrue();
    }
    assertThat(rows.auditEntries(target)).as("the entry newer than 90 days").isEqualTo(1);
    assertThat(pruned.deleted().get("audit entries")).isGreaterThanOrEqualTo(2);
    assertThat(pruned.summary()).contains("closed findings").contains("audit entries");
    assertThat(
            jdbc.sql(
                    "SELECT detail FROM fabric_audit WHERE action = 'audit.pruned' AND actor ="
                        + " 'system:diagnostics-retention' ORDER BY id DESC")
                .query(String.class)
                .list())
        .as("what left the audit log is told there")
        .first()
        .asString()
        .startsWith("deleted ")
        .endsWith(" entries older than 90 days");
  }

  @Test
  void aProbeStillUnderWayStaysWithItsCheckAndCommandsWhateverItsAge() {
    Instant longAgo = now.minus(Duration.ofDays(30));
    UUID inject = finishedCommand("PROBE_INJECT", longAgo);
    // Its watch is out on a host that has not answered yet: the poller may still wait on it.
    UUID watch = rows.command("PROBE_WATCH", "DELIVERED", longAgo, now.plusSeconds(5));
    UUID probe = rows.probe(longAgo, inject, watch);
    UUID check = rows.check(probe, longAgo);
    UUID pendingInject = rows.command("PROBE_INJECT", "PENDING", longAgo, now.plusSeconds(5));
    UUID pendingProbe = rows.probe(longAgo, pendingInject, null);

    retention.pruneExpired();

    assertThat(rows.exists(PROBE, probe)).as("a probe whose watch is delivered").isTrue();
    assertThat(rows.exists(CHECK, check)).as("its check").isTrue();
    assertThat(rows.exists(COMMAND, inject)).as("its finished inject, still named").isTrue();
    assertThat(rows.exists(COMMAND, watch)).isTrue();
    assertThat(rows.exists(PROBE, pendingProbe)).as("a probe whose inject is pending").isTrue();
    assertThat(rows.exists(COMMAND, pendingInject)).isTrue();

    rows.finish(watch);
    rows.finish(pendingInject);
    retention.pruneExpired();

    for (UUID id : new UUID[] {probe, pendingProbe}) {
      assertThat(rows.exists(PROBE, id)).as("finished, then due").isFalse();
    }
    assertThat(rows.exists(CHECK, check)).isFalse();
    for (UUID id : new UUID[] {inject, watch, pendingInject}) {
      assertThat(rows.exists(COMMAND, id)).isFalse();
    }
  }

  @Test
  void aCommandPastItsDeadlineIsFinishedEvenIfItsAgentNeverAnswered() {
    Instant longAgo = now.minus(Duration.ofDays(30));
    UUID lost = rows.command("PROBE_WATCH", "DELIVERED", longAgo, longAgo.plusSeconds(10));
    UUID probe = rows.probe(longAgo, null, lost);

    retention.pruneExpired();

    assertThat(rows.exists(PROBE, probe)).isFalse();
    assertThat(rows.exists(COMMAND, lost)).isFalse();
  }

  @Test
  void aCaptureStillRunningStaysWithItsCommandAndAStuckOneGoes() {
    Instant longAgo = now.minus(Duration.ofDays(30));
    UUID live = rows.command("CAPTURE", "DELIVERED", longAgo, now.plusSeconds(60));
    UUID running = rows.capture("RUNNING", longAgo, live);
    // Its replica died before it could store the answer, and the command expired long ago.
    UUID expired = rows.command("CAPTURE", "DELIVERED", longAgo, longAgo.plusSeconds(80));
    UUID stuck = rows.capture("RUNNING", longAgo, expired);

    retention.pruneExpired();

    assertThat(rows.exists(CAPTURE, running)).isTrue();
    assertThat(rows.exists(COMMAND, live)).isTrue();
    assertThat(rows.exists(CAPTURE, stuck)).isFalse();
    assertThat(rows.exists(COMMAND, expired)).isFalse();
  }

  @Test
  void aPassDeletesInBatchesAndLeavesTheRestToTheNextWhenItsBudgetIsSpent() {
    Instant oldAt = expired(Duration.ofHours(24));
    for (int i = 0; i < 250; i++) {
      rows.drop(i, oldAt.minusMillis(i));
    }
    // 100 rows a batch, and no time to start a second one: each pass takes one batch per rule
    // that has a full one.
    RetentionSweep oneBatch =
        new RetentionSweep(
            jdbc,
            clock,
            new RetentionProperties(
                Duration.ofHours(24),
                Duration.ofHours(1),
                Duration.ofDays(7),
                Duration.ofDays(90),
                Duration.ofDays(30),
                100,
                Duration.ZERO),
            audit,
            Duration.ofHours(24),
            24);

    PrunedRows first = oneBatch.pruneExpired();
    assertThat(first.complete()).isFalse();
    assertThat(first.summary()).endsWith("; more left for the next run");
    assertThat(rows.drops()).isEqualTo(150);
    oneBatch.pruneExpired();
    assertThat(rows.drops()).isEqualTo(50);
    PrunedRows last = oneBatch.pruneExpired();
    assertThat(rows.drops()).isZero();
    assertThat(last.complete()).isTrue();
  }
}
