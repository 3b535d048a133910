package io.weft.dataplane.agent;

import io.weft.dataplane.pipeline.CounterSnapshot;
import io.weft.dataplane.pipeline.LeaseEvent;
import io.weft.dataplane.pipeline.ObservedAddress;
import io.weft.dataplane.table.TableJson;
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

  /**
   * The smallest report the fabric accepts: the agent forwards with table {@code generation} whose
   * {@code TableJson.digest} is {@code digest}, has refused nothing and has no leases, counters or
   * optional parts to report. {@link HostAgent#status()} builds the full one.
   */
  public static AgentStatus applied(String hostId, long generation, String digest) {
    return new AgentStatus(
        TableJson.FORMAT_VERSION,
        hostId,
        generation,
        digest,
        /* lastRejection */ null,
        /* leases */ List.of(),
        /* counters */ null,
        /* underlay */ null,
        /* observedAddresses */ null,
        /* providerAddress */ null,
        /* clockOffsetMs */ null,
        /* clockServer */ null,
        /* dropRecords */ null,
        /* networkDigests */ null);
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
