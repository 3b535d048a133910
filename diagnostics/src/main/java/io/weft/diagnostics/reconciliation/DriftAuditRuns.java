package io.weft.diagnostics.reconciliation;

import io.weft.diagnostics.DriftReport;
import io.weft.diagnostics.TableDriftAudit;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One run of the drift audit job under its guard, recorded in the run history like a reconciliation
 * run: scopes = hosts audited, open = hosts drifting.
 */
@Component
class DriftAuditRuns {

  private static final Logger log = LoggerFactory.getLogger(DriftAuditRuns.class);

  private final GuardedRuns runs;
  private final RunLedger ledger;
  private final TableDriftAudit audit;
  private final Clock clock;

  DriftAuditRuns(GuardedRuns runs, RunLedger ledger, TableDriftAudit audit, Clock clock) {
    this.runs = runs;
    this.ledger = ledger;
    this.audit = audit;
    this.clock = clock;
  }

  /** Answers the run's id, or empty when this firing did not run (paused, or running elsewhere). */
  Optional<UUID> runGuarded(String trigger, Instant scheduledFireAt) {
    String job = SchedulingConfiguration.DRIFT_AUDIT;
    Optional<UUID> begun = runs.begin(job, trigger);
    if (begun.isEmpty()) {
      return Optional.empty();
    }
    UUID runId = begun.get();
    try {
      ledger.started(
          runId, job, trigger, scheduledFireAt, ReplicaName.current(), false, clock.instant());
      DriftReport report = audit.auditScheduled();
      int drifting = (int) report.drifting();
      ledger.succeeded(
          runId,
          new RunLedger.Totals(report.hosts().size(), 0, 0, drifting, 0, 0, 0, Map.of()),
          clock.instant());
    } catch (RuntimeException e) {
      log.warn("Drift audit run {} failed", runId, e);
      ledger.failed(runId, String.valueOf(e.getMessage()), clock.instant());
    } finally {
      runs.end(job, runId);
    }
    return Optional.of(runId);
  }
}
