package io.weft.fabric;

/**
 * No such object for this caller: unknown, or another tenant's (HTTP 404, never revealing which).
 */
public class NotFoundException extends FabricException {

  public NotFoundException(String message, String field) {
    super(message, field);
  }

  public NotFoundException(String message) {
    super(message, null);
  }
}
