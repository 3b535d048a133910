package io.weft.diagnostics;

/**
 * Forgets diagnostics rows once they are older than their retention (probes and the one answer's
 * checks, agent commands, captures, drop records, the scheduled jobs' run history, reconciliation
 * findings closed long ago, the security audit log's entries), in bounded batches, so that none of
 * these tables grows without bound. The Quartz job {@code diagnostics-retention} calls it;
 * operators pause it or run it now like any job. A probe, check or capture whose agent commands are
 * still under way is never deleted, whatever its age.
 */
public interface DiagnosticsRetention {

  /** The job's default schedule ({@code weft.diagnostics.retention.schedule}): every 10 min. */
  String DEFAULT_SCHEDULE = "0 3/10 * * * ?";

  /**
   * One pass: deletes expired rows, oldest first, a batch at a time, until none is left or the
   * pass's time budget is spent (the rest is the next pass's).
   */
  PrunedRows pruneExpired();
}
