package io.weft.fabric;

/**
 * A change lost to changes made at the same moment (a deadlock, a lock or key race) even after the
 * fabric retried it: nothing of it was written, and the same request may simply be sent again. A
 * {@link ConflictException} for callers that know only that kind; the REST API answers 503 with
 * {@code Retry-After}, so clients retry it as they retry a busy replica, never mistaking it for a
 * conflict with the current state (a name taken, a quota reached) that a retry cannot cure.
 */
public class ConcurrentChangeException extends ConflictException {

  public ConcurrentChangeException(String message) {
    super(message);
  }
}
