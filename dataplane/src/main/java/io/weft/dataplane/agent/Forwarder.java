package io.weft.dataplane.agent;

import io.weft.dataplane.pipeline.CounterSnapshot;
import io.weft.dataplane.pipeline.DropRing;
import io.weft.dataplane.table.HostTable;

/** The backend side of an agent: installs validated tables and reports counters. */
public interface Forwarder {

  /**
   * Forwards with {@code table} from now on; returns once it is in force.
   *
   * @throws TableRefusedException when this host cannot forward with it; the previous table then
   *     stays in force
   */
  void install(HostTable table);

  CounterSnapshot counters();

  /** The switch's recent drops, reported to the fabric; null when none are kept. */
  default DropRing drops() {
    return null;
  }

  /** The backend's device counters (I/O errors, offload work) by name; empty when it has none. */
  default java.util.Map<String, Long> deviceCounters() {
    return java.util.Map.of();
  }

  /** What the underlay interface carries, when the agent checks it; null otherwise. */
  default AgentStatus.Underlay underlay() {
    return null;
  }
}
