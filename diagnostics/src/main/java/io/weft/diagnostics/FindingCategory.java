package io.weft.diagnostics;

/**
 * What kind of drift between intended (IPAM), configured (model, tables) and observed a finding is.
 */
public enum FindingCategory {
  /** Allocated, but its owner is gone, or nothing configured or seen for the grace period. */
  RECLAIMABLE,
  /** Seen on a port, but allocated to nobody in the scope. */
  UNKNOWN,
  /** Allocated to one vNIC, seen on another. */
  MISMATCHED,
  /** One address on two vNICs. */
  DUPLICATE,
  /** Configured in the model, but missing from the applied table of a host. */
  UNPROGRAMMED,
  /** A DHCP lease that expired but is still configured. */
  STALE_LEASE,
  /** A host reporting a provider address other than the one IPAM gave it. */
  PA_DRIFT
}
