package io.weft.dataplane.table;

/**
 * A table or delta the agent refuses to apply; the message is the reason reported to the fabric.
 */
public final class InvalidTableException extends RuntimeException {

  public InvalidTableException(String reason) {
    super(reason);
  }
}
