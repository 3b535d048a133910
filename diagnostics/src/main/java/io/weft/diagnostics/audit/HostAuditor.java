package io.weft.diagnostics.audit;

import io.weft.dataplane.table.TableMessage;
import io.weft.diagnostics.HostDrift;
import io.weft.diagnostics.HostDrift.EntryDrift;
import io.weft.diagnostics.HostDrift.Verdict;
import io.weft.fabric.Caller;
import io.weft.fabric.Host;
import io.weft.fabric.tables.HostTableService;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Audits one host: its agent's last report (generation, digest, time) against the fabric's intended
 * table. A host behind is listed with the entries it has not applied yet (from the change log) and
 * counts as drifting once it has been behind for longer than the grace, so a change on its way to
 * the host is not an alarm.
 */
final class HostAuditor {

  private static final Caller SYSTEM = Caller.system("diagnostics.drift");

  private final HostTableService tables;
  private final Duration grace;
  private final Duration silence;

  HostAuditor(HostTableService tables, Duration grace, Duration silence) {
    this.tables = tables;
    this.grace = grace;
    this.silence = silence;
  }

  /**
   * @param behindSince when an earlier audit first saw the host behind, if it did
   */
  HostDrift audit(Host h, Optional<Instant> behindSince, Instant now) {
    long intended = tables.generation(h.id());
    long applied = h.appliedGeneration();
    Instant seen = h.lastSeenAt();
    String name = h.name();
    if (seen == null || applied < 0) {
      return drift(
          h,
          Verdict.NEVER_REPORTED,
          true,
          intended,
          null,
          null,
          "the agent on " + name + " has never reported: start it with the host's token",
          List.of(),
          false);
    }
    if (seen.isBefore(now.minus(silence))) {
      return drift(
          h,
          Verdict.SILENT,
          true,
          intended,
          null,
          null,
          "the agent on "
              + name
              + " has not been heard from for "
              + Duration.between(seen, now).toSeconds()
              + " s: restart it",
          List.of(),
          false);
    }
    if (applied < intended) {
      Instant since = behindSince.orElse(now);
      boolean drifting = !since.plus(grace).isAfter(now);
      Optional<TableMessage> changes = tables.changesSince(h.id(), applied);
      List<EntryDrift> entries =
          changes
              .filter(m -> m instanceof TableMessage.Delta)
              .map(m -> DriftEntries.of(((TableMessage.Delta) m).delta()))
              .orElse(List.of());
      boolean complete = intended - applied == 1 && changes.isPresent();
      return drift(
          h,
          Verdict.BEHIND,
          drifting,
          intended,
          null,
          since,
          name
              + " has not applied generation "
              + intended
              + " (it forwards with "
              + applied
              + ", "
              + (intended - applied)
              + " behind the fabric for "
              + Duration.between(since, now).toSeconds()
              + " s; "
              + entries.size()
              + " entries not applied)",
          entries,
          complete);
    }
    var status = tables.status(SYSTEM, h.id());
    if (applied == intended && status.intendedDigest().equals(status.appliedDigest())) {
      return drift(
          h,
          Verdict.IN_SYNC,
          false,
          intended,
          status,
          null,
          name + " has applied generation " + intended + " exactly as intended",
          List.of(),
          true);
    }
    return drift(
        h,
        Verdict.DIVERGED,
        true,
        intended,
        status,
        null,
        name
            + " reports generation "
            + applied
            + " with digest "
            + status.appliedDigest()
            + ", but the fabric's generation "
            + intended
            + " has digest "
            + status.intendedDigest()
            + ": its table is not what the fabric sent; restart its"
            + " agent so it takes a fresh snapshot",
        List.of(),
        false);
  }

  private static HostDrift drift(
      Host h,
      Verdict verdict,
      boolean drifting,
      long intended,
      io.weft.fabric.tables.HostTableStatus status,
      Instant behindSince,
      String summary,
      List<EntryDrift> entries,
      boolean complete) {
    return new HostDrift(
        h.id(),
        h.name(),
        verdict,
        drifting,
        intended,
        status == null ? null : status.intendedDigest(),
        h.appliedGeneration(),
        status == null ? null : status.appliedDigest(),
        h.lastSeenAt(),
        behindSince,
        summary,
        entries,
        complete);
  }
}
