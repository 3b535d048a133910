package io.weft.fabric;

/** The request is malformed or breaks a rule of the model (HTTP 400). */
public class InvalidRequestException extends FabricException {

  public InvalidRequestException(String message, String field) {
    super(message, field);
  }

  public InvalidRequestException(String message) {
    super(message, null);
  }
}
