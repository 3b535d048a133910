package io.weft.fabric.tables;

import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.TableMessage;
import io.weft.fabric.Caller;
import io.weft.fabric.HostId;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Each host's intended table and its distribution. Agent-facing calls take the {@link HostId} that
 * the caller already authenticated with the host's token; operator reads take a {@link Caller}.
 */
public interface HostTableService {

  /** The generation of the host's intended table (1 right after registration). */
  long generation(HostId host);

  /** The complete intended table at the current generation, computed from the model. */
  HostTable intendedTable(HostId host);

  /**
   * The host's intended table at its current generation with only those of {@code vmNetworks} that
   * the host has: equal to {@link #intendedTable} with the other VM networks left out, at a cost in
   * proportion to the VM networks asked for (what a trace of one VM network needs).
   */
  HostTable intendedTable(HostId host, Collection<UUID> vmNetworks);

  /**
   * What an agent at {@code since} needs: empty when it is current; a delta when the change log
   * still covers {@code since}; a snapshot when {@code since} is 0, unknown or too old.
   */
  Optional<TableMessage> changesSince(HostId host, long since);

  /**
   * {@link #changesSince} that waits up to {@code wait} for a change (a long-poll); returns empty
   * if nothing changed meanwhile. Woken by commits on this replica and, on PostgreSQL, on others. A
   * snapshot is built only when this replica has room for one (a bounded number at once); a poll
   * that waited too long for its turn gets {@link TablesBusyException} with when to come back.
   */
  Optional<TableMessage> awaitChanges(HostId host, long since, Duration wait);

  /**
   * {@link #awaitChanges} that also ends early, with nothing, once {@code endsEarly} is true. It is
   * asked after the change log, before the wait, and again each time the wait is woken (a change,
   * or {@link #wakeLongPolls}), never in a loop. The portal ends an agent's table poll this way
   * when commands are queued for its host (TABLE-FORMAT.md, "Commands announced on the table
   * poll").
   */
  Optional<TableMessage> awaitChanges(
      HostId host, long since, Duration wait, BooleanSupplier endsEarly);

  /**
   * Wakes the host's long-polls on this replica, which look again (their {@code endsEarly}
   * included); no database access. Other replicas are woken by their own callers.
   */
  void wakeLongPolls(HostId host);

  /**
   * True once this replica is shutting down: {@link #awaitChanges} no longer waits, and the agent
   * should poll again elsewhere (after a random pause, so a replica's agents do not all arrive on
   * the others at once).
   */
  default boolean draining() {
    return false;
  }

  /**
   * The host's agent long-polls (its table or its commands): it is alive. Its last-seen time (what
   * migrations, the hosts pages, the silent-agent metric and diagnostics read) is written from this
   * within a few seconds, in batches, so an agent with nothing to report sends no report ({@code
   * dataplane/TABLE-FORMAT.md}, "Liveness").
   */
  void agentPolled(HostId host);

  /**
   * Writes the sightings of {@link #agentPolled} this replica holds now (it does so every few
   * seconds, and when it stops): for tests that set a last-seen time by hand.
   */
  void writeAgentSightings();

  /**
   * Records what the agent applied: generation, digest, counters, last refusal; marks the host
   * seen, makes a REGISTERING host READY, and advances live migrations waiting on this host.
   */
  HostTableStatus reportApplied(HostId host, AgentReport report);

  /** Operators: intended vs applied for one host (the digest is computed on demand). */
  HostTableStatus status(Caller caller, HostId host);

  /**
   * Operators: what the host's agent last reported (generation, digest, counters as it sent them,
   * last refusal); empty before its first report.
   */
  Optional<AgentReport> lastReport(Caller caller, HostId host);

  /** Operators: the most recent live migrations with their make-before-break timeline. */
  List<MigrationRecord> migrations(Caller caller, int limit);
}
