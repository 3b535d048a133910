package io.weft.fabric;

/** A suspended tenant keeps its objects but may not change them. */
public enum TenantState {
  ACTIVE,
  SUSPENDED
}
