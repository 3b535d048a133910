package io.weft.dataplane.pipeline;

import java.util.Map;

/**
 * All counters of a switch at a moment: per port, per drop reason over the whole host (port drops
 * included), and the underlay totals. The agent reports this to the fabric.
 */
public record CounterSnapshot(
    Map<String, PortCounters> ports,
    Map<DropReason, Long> drops,
    long underlayRxPackets,
    long underlayTxPackets) {

  public CounterSnapshot {
    ports = Map.copyOf(ports);
    drops = Map.copyOf(drops);
  }

  public long dropped(DropReason reason) {
    return drops.getOrDefault(reason, 0L);
  }

  public static final CounterSnapshot EMPTY = new CounterSnapshot(Map.of(), Map.of(), 0, 0);
}
