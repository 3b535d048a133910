package io.weft.diagnostics.reconciliation;

import io.weft.diagnostics.reconciliation.Drift.Fix;
import io.weft.diagnostics.reconciliation.Drift.ReclaimLease;
import io.weft.diagnostics.reconciliation.Drift.ReleaseAllocation;
import java.time.Duration;

/**
 * What one run may still fix on its own. Releases of deleted VMs' allocations are bounded by count;
 * expired leases, as Kea reclaims them, by count and by time spent ({@code max-reclaim-leases},
 * {@code max-reclaim-time}), so a backlog is worked off over several runs and never stalls one.
 */
final class FixBudget {

  private final ReconciliationProperties props;
  private int releases;
  private int leases;
  private long leaseNanos;

  FixBudget(ReconciliationProperties props) {
    this.props = props;
  }

  /** Whether operators left this kind of fix switched on. */
  boolean enabled(Fix fix) {
    return switch (fix) {
      case ReleaseAllocation r -> props.releaseDeletedVmAllocations();
      case ReclaimLease l -> props.reclaimExpiredLeases();
    };
  }

  boolean allows(Fix fix) {
    return switch (fix) {
      case ReleaseAllocation r -> releases < props.maxFixesPerRun();
      case ReclaimLease l ->
          leases < props.maxLeasesPerRun() && leaseNanos < props.maxLeaseReclaimTime().toNanos();
    };
  }

  /** Counts an attempt (done or not: an attempt costs the budget either way). */
  void used(Fix fix, long nanos) {
    switch (fix) {
      case ReleaseAllocation r -> releases++;
      case ReclaimLease l -> {
        leases++;
        leaseNanos += nanos;
      }
    }
  }

  /** Why a fix waits, in words. */
  String spent(Fix fix) {
    return switch (fix) {
      case ReleaseAllocation r ->
          "this run released its maximum of " + props.maxFixesPerRun() + " allocations";
      case ReclaimLease l ->
          "this run's lease reclaim budget ("
              + props.maxLeasesPerRun()
              + " leases or "
              + Duration.ofNanos(props.maxLeaseReclaimTime().toNanos()).toMillis()
              + " ms) is spent";
    };
  }

  static String verb(Fix fix) {
    return switch (fix) {
      case ReleaseAllocation r -> "release";
      case ReclaimLease l -> "reclaim";
    };
  }
}
