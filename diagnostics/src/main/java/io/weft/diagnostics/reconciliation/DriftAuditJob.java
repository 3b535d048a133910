package io.weft.diagnostics.reconciliation;

import io.weft.diagnostics.DriftReport;
import io.weft.diagnostics.TableDriftAudit;
import java.util.Map;
import org.quartz.DisallowConcurrentExecution;

/**
 * The table drift audit (intended vs applied, per host) as a Quartz job beside the reconciliation:
 * one replica runs each firing, operators pause it or run it now like any job. Never concurrent
 * with itself for one job key; {@link JobGuard} covers recovery and other replicas. Each run is
 * recorded in the run history like a reconciliation run: scopes = hosts audited, open = hosts
 * drifting.
 */
@DisallowConcurrentExecution
public class DriftAuditJob extends GuardedJob {

  private final TableDriftAudit audit;

  DriftAuditJob(GuardedRuns runs, TableDriftAudit audit) {
    super(runs);
    this.audit = audit;
  }

  @Override
  String name() {
    return SchedulingConfiguration.DRIFT_AUDIT;
  }

  @Override
  GuardedRuns.Summary work() {
    DriftReport report = audit.auditScheduled();
    int drifting = (int) report.drifting();
    return new GuardedRuns.Summary(
        new RunLedger.Totals(report.hosts().size(), 0, 0, drifting, 0, 0, 0, Map.of()), "");
  }
}
