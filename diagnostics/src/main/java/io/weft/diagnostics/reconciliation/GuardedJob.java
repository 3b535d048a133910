package io.weft.diagnostics.reconciliation;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * A Quartz job beside the reconciliation that runs under its {@link JobGuard} through {@link
 * GuardedRuns}: one replica runs each firing, operators pause it or run it now like any job, and
 * each run is recorded in the run history with what {@link #work()} answers.
 */
abstract class GuardedJob implements Job {

  private final GuardedRuns runs;

  GuardedJob(GuardedRuns runs) {
    this.runs = runs;
  }

  /** The job's name (its Quartz job key and guard row). */
  abstract String name();

  /** One run's work: what the run history says of it. */
  abstract GuardedRuns.Summary work();

  @Override
  public void execute(JobExecutionContext context) {
    Instant fire =
        context.getScheduledFireTime() == null ? null : context.getScheduledFireTime().toInstant();
    run(ReconciliationJob.triggerOf(context), fire);
  }

  /** Answers the run's id, or empty when this firing did not run (paused, or running elsewhere). */
  Optional<UUID> run(String trigger, Instant scheduledFireAt) {
    return runs.run(name(), trigger, scheduledFireAt, this::work);
  }
}
