package io.weft.diagnostics.reconciliation;

import io.weft.diagnostics.DiagnosticsRetention;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * The diagnostics retention as a Quartz job beside the reconciliation: one replica runs each
 * firing, operators pause it or run it now like any job. Never concurrent with itself for one job
 * key; {@link JobGuard} covers recovery and other replicas. Each run is recorded in the run history
 * with what it deleted as its message.
 */
@DisallowConcurrentExecution
public class RetentionJob implements Job {

  private final GuardedRuns runs;
  private final DiagnosticsRetention retention;

  RetentionJob(GuardedRuns runs, DiagnosticsRetention retention) {
    this.runs = runs;
    this.retention = retention;
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
        SchedulingConfiguration.RETENTION,
        trigger,
        scheduledFireAt,
        () -> GuardedRuns.Summary.message(retention.pruneExpired().summary()));
  }
}
