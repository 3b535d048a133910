package io.weft.diagnostics;

import io.weft.fabric.HostId;
import java.time.Instant;
import java.util.List;

/**
 * One host's applied table against the fabric's intended one.
 *
 * @param appliedGeneration -1 before the agent's first report
 * @param behindSince when the audit first saw this host behind; null when it is not
 * @param drifting the host needs attention: diverged, silent, or behind for longer than the grace
 * @param summary one sentence in the product's words
 * @param entries the entries the host lacks, has extra or has different, where they are known
 * @param entriesComplete whether {@code entries} is the whole difference
 */
public record HostDrift(
    HostId hostId,
    String hostName,
    Verdict verdict,
    boolean drifting,
    long intendedGeneration,
    String intendedDigest,
    long appliedGeneration,
    String appliedDigest,
    Instant lastSeenAt,
    Instant behindSince,
    String summary,
    List<EntryDrift> entries,
    boolean entriesComplete) {

  public HostDrift {
    entries = List.copyOf(entries);
  }

  /** How a host's applied table relates to the intended one. */
  public enum Verdict {
    IN_SYNC,
    /** Applied an older generation: changes have not reached it (yet). */
    BEHIND,
    /** Same generation, another digest: its table is not what the fabric sent. */
    DIVERGED,
    /** Its agent has neither polled nor reported for longer than the silence limit. */
    SILENT,
    NEVER_REPORTED
  }

  /**
   * One entry that differs.
   *
   * @param kind MISSING (intended, not applied), EXTRA (applied, no longer intended) or DIFFERENT
   * @param what "lookup record", "port", "subnet", "VM network" or "host settings"
   * @param vmNetwork the routing domain id, or null for host settings
   * @param expectedPa the PA the fabric intends (lookup records), or null
   * @param appliedPa the PA the host forwards with (lookup records), or null when unknown
   */
  public record EntryDrift(
      String kind,
      String what,
      String vmNetwork,
      Integer vsid,
      String ca,
      String expectedPa,
      String appliedPa,
      String detail) {}
}
