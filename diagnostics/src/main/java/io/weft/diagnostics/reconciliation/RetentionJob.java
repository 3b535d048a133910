package io.weft.diagnostics.reconciliation;

import java.time.Instant;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * The diagnostics retention as a Quartz job beside the reconciliation: one replica runs each
 * firing, operators pause it or run it now like any job. Never concurrent with itself for one job
 * key; {@link JobGuard} covers recovery and other replicas.
 */
@DisallowConcurrentExecution
public class RetentionJob implements Job {

  private final RetentionRuns runs;

  RetentionJob(RetentionRuns runs) {
    this.runs = runs;
  }

  @Override
  public void execute(JobExecutionContext context) {
    Instant fire =
        context.getScheduledFireTime() == null ? null : context.getScheduledFireTime().toInstant();
    runs.runGuarded(ReconciliationJob.triggerOf(context), fire);
  }
}
