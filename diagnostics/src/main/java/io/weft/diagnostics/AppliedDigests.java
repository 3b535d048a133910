package io.weft.diagnostics;

import io.weft.fabric.HostId;
import java.util.Map;

/**
 * The per-VM-network digests agents report of the tables they forward with ({@code networkDigests}
 * in the status report); the trace over applied tables compares them with the intended ones.
 */
public interface AppliedDigests {

  /** Records what a host's agent reported (its authenticated host). */
  void record(HostId host, long generation, Map<String, String> networkDigests);
}
