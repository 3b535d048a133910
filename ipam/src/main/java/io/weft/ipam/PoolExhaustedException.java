package io.weft.ipam;

/** No free value is left in the pool or range asked for (an API answers 409). */
public class PoolExhaustedException extends IpamConflictException {

  public PoolExhaustedException(String message, String field) {
    super(message, field);
  }
}
