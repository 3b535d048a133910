package io.weft.dataplane.agent;

import io.weft.dataplane.pipeline.CounterSnapshot;
import io.weft.dataplane.pipeline.LeaseEvent;
import java.util.List;

/**
 * What an agent reports to the fabric ({@code POST /api/v1/agent/status}): the generation and
 * digest it forwards with, the last table it refused and why, its leases and its counters.
 */
public record AgentStatus(
    int formatVersion,
    String hostId,
    long generation,
    String digest,
    Rejection lastRejection,
    List<LeaseEvent> leases,
    CounterSnapshot counters) {

  /** A table message the agent refused; it kept forwarding with its previous table. */
  public record Rejection(long generation, String reason, String at) {}
}
