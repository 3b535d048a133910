package io.weft.fabric;

/**
 * The request is valid but clashes with the current state: overlap, in use, quota, exhausted (HTTP
 * 409).
 */
public class ConflictException extends FabricException {

  public ConflictException(String message, String field) {
    super(message, field);
  }

  public ConflictException(String message) {
    super(message, null);
  }
}
