package io.weft.diagnostics.reconciliation;

import io.weft.diagnostics.DiagnosticsRetention;
import org.quartz.DisallowConcurrentExecution;

/**
 * The diagnostics retention as a Quartz job beside the reconciliation: one replica runs each
 * firing, operators pause it or run it now like any job. Never concurrent with itself for one job
 * key; {@link JobGuard} covers recovery and other replicas. Each run is recorded in the run history
 * with what it deleted as its message.
 */
@DisallowConcurrentExecution
public class RetentionJob extends GuardedJob {

  private final DiagnosticsRetention retention;

  RetentionJob(GuardedRuns runs, DiagnosticsRetention retention) {
    super(runs);
    this.retention = retention;
  }

  @Override
  String name() {
    return SchedulingConfiguration.RETENTION;
  }

  @Override
  GuardedRuns.Summary work() {
    return GuardedRuns.Summary.message(retention.pruneExpired().summary());
  }
}
