package io.weft.ipam.internal;

import io.weft.ipam.IpamConflictException;

/** Bounded retry ran out under heavy contention; the caller may simply try again. */
class ConcurrentAllocationException extends IpamConflictException {

  ConcurrentAllocationException(String message) {
    super(message, null);
  }
}
