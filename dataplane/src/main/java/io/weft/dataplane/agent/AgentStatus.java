package io.weft.dataplane.agent;

import io.weft.dataplane.pipeline.CounterSnapshot;
import io.weft.dataplane.pipeline.LeaseEvent;
import io.weft.dataplane.pipeline.ObservedAddress;
import java.util.List;
import java.util.Map;

/**
 * What an agent reports to the fabric ({@code POST /api/v1/agent/status}): the generation and
 * digest it forwards with, the last table it refused and why, its leases and its counters; and,
 * optional (null when not reported), the state of its underlay interface, the addresses its ports
 * showed, the PA it actually has when that is not the table's, its clock offset, and the drops it
 * recorded since its last delivered report.
 */
public record AgentStatus(
    int formatVersion,
    String hostId,
    long generation,
    String digest,
    Rejection lastRejection,
    List<LeaseEvent> leases,
    CounterSnapshot counters,
    Underlay underlay,
    List<ObservedAddress> observedAddresses,
    String providerAddress,
    Long clockOffsetMs,
    String clockServer,
    DropReport dropRecords,
    Map<String, String> networkDigests) {

  public AgentStatus(
      int formatVersion,
      String hostId,
      long generation,
      String digest,
      Rejection lastRejection,
      List<LeaseEvent> leases,
      CounterSnapshot counters,
      Underlay underlay,
      List<ObservedAddress> observedAddresses,
      String providerAddress,
      Long clockOffsetMs,
      String clockServer,
      DropReport dropRecords) {
    this(
        formatVersion,
        hostId,
        generation,
        digest,
        lastRejection,
        leases,
        counters,
        underlay,
        observedAddresses,
        providerAddress,
        clockOffsetMs,
        clockServer,
        dropRecords,
        null);
  }

  public AgentStatus(
      int formatVersion,
      String hostId,
      long generation,
      String digest,
      Rejection lastRejection,
      List<LeaseEvent> leases,
      CounterSnapshot counters,
      Underlay underlay,
      List<ObservedAddress> observedAddresses,
      String providerAddress,
      Long clockOffsetMs,
      String clockServer) {
    this(
        formatVersion,
        hostId,
        generation,
        digest,
        lastRejection,
        leases,
        counters,
        underlay,
        observedAddresses,
        providerAddress,
        clockOffsetMs,
        clockServer,
        null);
  }

  public AgentStatus(
      int formatVersion,
      String hostId,
      long generation,
      String digest,
      Rejection lastRejection,
      List<LeaseEvent> leases,
      CounterSnapshot counters,
      Underlay underlay) {
    this(
        formatVersion,
        hostId,
        generation,
        digest,
        lastRejection,
        leases,
        counters,
        underlay,
        null,
        null,
        null,
        null);
  }

  public AgentStatus(
      int formatVersion,
      String hostId,
      long generation,
      String digest,
      Rejection lastRejection,
      List<LeaseEvent> leases,
      CounterSnapshot counters) {
    this(formatVersion, hostId, generation, digest, lastRejection, leases, counters, null);
  }

  /** A table message the agent refused; it kept forwarding with its previous table. */
  public record Rejection(long generation, String reason, String at) {}

  /**
   * The underlay interface the agent was told to use and what it actually carries.
   *
   * @param interfaceName e.g. {@code eth1}
   * @param expectedPa the table's {@code localPa}
   * @param addresses the interface's addresses with prefix length, e.g. {@code 192.168.100.9/24}
   * @param paConfigured whether {@code expectedPa} is among them; false: the agent does not forward
   *     on that PA
   * @param problem why not, in words; null when fine
   */
  public record Underlay(
      String interfaceName,
      String expectedPa,
      List<String> addresses,
      boolean paConfigured,
      String problem) {}
}
