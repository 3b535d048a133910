package io.weft.diagnostics;

import io.weft.fabric.FabricException;

/** Too many probes lately for the tenant or the host (HTTP 429); the message says which. */
public class TooManyProbesException extends FabricException {

  public TooManyProbesException(String message) {
    super(message, null);
  }
}
