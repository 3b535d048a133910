package io.weft.diagnostics;

/** Where a finding stands. */
public enum FindingState {
  /** Seen by the latest run, waiting for an operator. */
  OPEN,
  /** Fixed automatically by a run (see the audit log). */
  FIXED,
  /** Resolved by an operator (released). */
  RESOLVED,
  /** Accepted by an operator with a reason; reopens when its evidence changes. */
  IGNORED,
  /** No longer seen by a run. */
  CLOSED
}
