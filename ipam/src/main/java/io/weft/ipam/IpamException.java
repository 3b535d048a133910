package io.weft.ipam;

import java.util.Optional;

/**
 * Base of every error IPAM raises on purpose. The message names the reason in words a user can act
 * on; {@link #field()} names the input it is about, where one applies, so an API layer can point at
 * it.
 */
public class IpamException extends RuntimeException {

  private final String field;

  public IpamException(String message, String field) {
    super(message);
    this.field = field;
  }

  public IpamException(String message, String field, Throwable cause) {
    super(message, cause);
    this.field = field;
  }

  /** The input this error is about (e.g. {@code "cidr"}, {@code "address"}), if any. */
  public Optional<String> field() {
    return Optional.ofNullable(field);
  }
}
