package io.weft.diagnostics.reconciliation;

import java.time.Instant;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * The Quartz job; Spring creates it per firing with its dependencies. Never concurrent with itself
 * for one job key; {@link JobGuard} covers the rest (recovery, other replicas).
 */
@DisallowConcurrentExecution
public class ReconciliationJob implements Job {

  static final String MANUAL = "manual";

  private final Reconciler reconciler;

  ReconciliationJob(Reconciler reconciler) {
    this.reconciler = reconciler;
  }

  @Override
  public void execute(JobExecutionContext context) {
    Instant fire =
        context.getScheduledFireTime() == null ? null : context.getScheduledFireTime().toInstant();
    reconciler.runGuarded(triggerOf(context), fire);
  }

  /** RECOVERY (a dead replica's run, taken over), MANUAL ("run now") or SCHEDULED. */
  static String triggerOf(JobExecutionContext context) {
    return context.isRecovering()
        ? "RECOVERY"
        : context.getMergedJobDataMap().getBooleanValue(MANUAL) ? "MANUAL" : GuardedRuns.SCHEDULED;
  }
}
