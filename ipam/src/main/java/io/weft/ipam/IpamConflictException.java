package io.weft.ipam;

/**
 * The input is well-formed but clashes with what is stored: an overlap, something still in use (an
 * API answers 409). {@link AddressInUseException} and {@link PoolExhaustedException} are its
 * special cases, so one handler can map all conflicts.
 */
public class IpamConflictException extends IpamException {

  public IpamConflictException(String message, String field) {
    super(message, field);
  }
}
