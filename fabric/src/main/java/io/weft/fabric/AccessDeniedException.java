package io.weft.fabric;

/** The caller is known but its role may not do this (HTTP 403). */
public class AccessDeniedException extends FabricException {

  public AccessDeniedException(String message, String field) {
    super(message, field);
  }

  public AccessDeniedException(String message) {
    super(message, null);
  }
}
