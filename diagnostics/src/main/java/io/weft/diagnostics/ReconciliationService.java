package io.weft.diagnostics;

import io.weft.fabric.Caller;
import io.weft.fabric.HostId;
import java.util.List;
import java.util.UUID;

/**
 * IPAM reconciliation as operators and tenants use it. Operators see every run, job and finding; a
 * tenant sees only the findings of its own VM networks (another tenant's finding is "not found").
 */
public interface ReconciliationService {

  /** Runs of the reconciliation job, newest first (operators). */
  List<ReconciliationRun> runs(Caller caller, int limit);

  ReconciliationRun run(Caller caller, UUID runId);

  /** Findings matching the query, newest first by last seen. */
  List<Finding> findings(Caller caller, FindingQuery query);

  Finding finding(Caller caller, UUID findingId);

  /** Applies an operator's decision (a tenant may only ignore its own findings). */
  Finding resolve(Caller caller, UUID findingId, Resolution resolution);

  /** The scheduled jobs, their schedules and whether they are paused (operators). */
  List<ScheduledJob> jobs(Caller caller);

  /** Fires the job now on whichever replica picks it up (operators). */
  void runNow(Caller caller, String job);

  /** Pauses or resumes a job's schedule on every replica (operators). */
  ScheduledJob setPaused(Caller caller, String job, boolean paused);

  /** Replicas' and hosts' clock offsets against NTP, and the worst status (operators). */
  ClockHealth clockHealth(Caller caller);

  /** Records what a host's agent observed (called with the agent's authenticated host). */
  void recordObservations(HostId host, HostObservations observations);
}
