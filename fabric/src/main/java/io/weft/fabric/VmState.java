package io.weft.fabric;

/** Where a VM is in its life. */
public enum VmState {
  /** Created but no ready host has room for it yet. */
  PENDING,
  /** Placed on a host. */
  RUNNING
}
