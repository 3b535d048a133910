package io.weft.diagnostics.reconciliation;

import io.weft.diagnostics.DriftReport;
import io.weft.diagnostics.TableDriftAudit;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * The table drift audit (intended vs applied, per host) as a Quartz job beside the reconciliation:
 * one replica runs each firing, operators pause it or run it now like any job. Never concurrent
 * with itself for one job key; {@link JobGuard} covers recovery and other replicas. Each run is
 * recorded in the run history like a reconciliation run: scopes = hosts audited, open = hosts
 * drifting.
 */
@DisallowConcurrentExecution
public class DriftAuditJob implements Job {

  private final GuardedRuns runs;
  private final TableDriftAudit audit;

  DriftAuditJob(GuardedRuns runs, TableDriftAudit audit) {
    this.runs = runs;
    this.audit = audit;
  }

  @Override
  public void execute(JobExecutionContext context) {
    Instant fire =
        context.getScheduledFireTime() == null ? null : context.getScheduledFireTime().toInstant();
    run(ReconciliationJob.triggerOf(context), fire);
  }

  /** Answers the run's id, or empty when this firing did not run (paused, or running elsewhere). */
  Optional<UUID> run(String trigger, Instant scheduledFireAt) {
    return runs.run(
        SchedulingConfiguration.DRIFT_AUDIT,
        trigger,
        scheduledFireAt,
        () -> {
          DriftReport report = audit.auditScheduled();
          int drifting = (int) report.drifting();
          return new GuardedRuns.Summary(
              new RunLedger.Totals(report.hosts().size(), 0, 0, drifting, 0, 0, 0, Map.of()), "");
        });
  }
}
