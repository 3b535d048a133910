package io.weft.fabric;

import java.util.Optional;

/**
 * An error a caller can cause and understand. The message names the reason in words a user reads;
 * {@link #field()} names the request field at fault where there is one.
 */
public abstract class FabricException extends RuntimeException {

  private final String field;

  protected FabricException(String message, String field) {
    super(message);
    this.field = field;
  }

  public Optional<String> field() {
    return Optional.ofNullable(field);
  }
}
