package io.weft.dataplane.pipeline;

import java.util.Map;

/** Counters of one vNIC port at a moment; rx = from the VM into the switch, tx = to the VM. */
public record PortCounters(
    long rxFrames, long rxBytes, long txFrames, long txBytes, Map<DropReason, Long> drops) {

  public PortCounters {
    drops = Map.copyOf(drops);
  }

  public long dropped(DropReason reason) {
    return drops.getOrDefault(reason, 0L);
  }
}
