package io.weft.dataplane.agent;

/**
 * A valid table this host cannot forward with: a device it cannot create, an underlay address it
 * does not have. The {@link Forwarder} throws it with the previous table still in force; the agent
 * reports the reason to the fabric as {@code lastRejection}.
 */
public final class TableRefusedException extends RuntimeException {

  public TableRefusedException(String message) {
    super(message);
  }
}
