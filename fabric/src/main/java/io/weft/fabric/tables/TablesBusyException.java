package io.weft.fabric.tables;

import io.weft.fabric.FabricException;
import java.time.Duration;

/**
 * This replica is building as many full snapshots as it may at once and the poll waited its turn
 * for as long as it may: come back after {@link #retryAfter()} (the agent adds jitter; the wire
 * answer is {@code 503} with {@code Retry-After}, TABLE-FORMAT.md). Nothing is wrong with the
 * request; the agent keeps forwarding on what it has.
 *
 * <p>Without a stack trace: during a first-snapshot storm a replica refuses tens of polls a second,
 * and the trace (never logged, it is an answer, not a fault) was part of what each refusal cost.
 */
public final class TablesBusyException extends FabricException {

  private final Duration retryAfter;

  public TablesBusyException(Duration retryAfter) {
    super("this replica is building other hosts' snapshots; poll again after " + retryAfter, null);
    this.retryAfter = retryAfter;
  }

  /** Nothing to trace: see the class comment. */
  @Override
  public Throwable fillInStackTrace() {
    return this;
  }

  /** How long the agent should wait at least before it polls again. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
