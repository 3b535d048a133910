package io.weft.diagnostics.reconciliation;

import io.weft.diagnostics.FindingCategory;
import java.util.UUID;

/**
 * One drift a run found in a scope.
 *
 * @param evidenceKey the evidence without times, so an ignored finding reopens only when what was
 *     seen changes, not when it was seen again
 * @param fix what the run may do about it automatically, or null
 */
record Drift(
    String address, FindingCategory category, String evidence, String evidenceKey, Fix fix) {

  /** A fix a run may apply on its own (policy permitting). */
  sealed interface Fix {}

  /** Give back an allocation whose owner is gone, if it still has that owner. */
  record ReleaseAllocation(UUID poolId, String address, String expectedOwner) implements Fix {}

  /** Reclaim an expired DHCP lease nothing uses any more, if the vNIC still has that address. */
  record ReclaimLease(String vnicId, String address) implements Fix {}
}
