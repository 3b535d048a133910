package io.weft.diagnostics.reconciliation;

import io.weft.diagnostics.DiagnosticsRetention;
import io.weft.diagnostics.PrunedRows;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One run of the retention job under its guard, recorded in the run history like the other jobs'
 * runs, with what it deleted as its message.
 */
@Component
class RetentionRuns {

  private static final Logger log = LoggerFactory.getLogger(RetentionRuns.class);

  private final GuardedRuns runs;
  private final RunLedger ledger;
  private final DiagnosticsRetention retention;
  private final Clock clock;

  RetentionRuns(GuardedRuns runs, RunLedger ledger, DiagnosticsRetention retention, Clock clock) {
    this.runs = runs;
    this.ledger = ledger;
    this.retention = retention;
    this.clock = clock;
  }

  /** Answers the run's id, or empty when this firing did not run (paused, or running elsewhere). */
  Optional<UUID> runGuarded(String trigger, Instant scheduledFireAt) {
    String job = SchedulingConfiguration.RETENTION;
    Optional<UUID> begun = runs.begin(job, trigger);
    if (begun.isEmpty()) {
      return Optional.empty();
    }
    UUID runId = begun.get();
    try {
      ledger.started(
          runId, job, trigger, scheduledFireAt, ReplicaName.current(), false, clock.instant());
      PrunedRows pruned = retention.pruneExpired();
      ledger.succeeded(
          runId,
          new RunLedger.Totals(0, 0, 0, 0, 0, 0, 0, Map.of()),
          pruned.summary(),
          clock.instant());
    } catch (RuntimeException e) {
      log.warn("Retention run {} failed", runId, e);
      ledger.failed(runId, String.valueOf(e.getMessage()), clock.instant());
    } finally {
      runs.end(job, runId);
    }
    return Optional.of(runId);
  }
}
