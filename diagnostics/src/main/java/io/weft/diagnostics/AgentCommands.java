package io.weft.diagnostics;

import io.weft.fabric.HostId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The fabric→agent command path: queue a command for a host's agent, and wait for its result. The
 * agent takes commands on its own long-poll ({@code GET /api/v1/agent/commands}) and posts each
 * result ({@code POST /api/v1/agent/commands/{id}/result}); the wire format is in {@code
 * dataplane/TABLE-FORMAT.md}, "Agent commands". The database holds every command, so a command
 * queued on one replica reaches an agent polling another, and a result posted to any replica
 * reaches a waiter on any other (PostgreSQL NOTIFY wakes them; the row is the truth).
 *
 * <p>Delivery is at most once: a command is handed to one long-poll; if its answer is lost, the
 * command expires at its deadline. Callers are trusted code (diagnostics' façades check who may
 * probe or capture what, and audit it); nothing here checks a tenant.
 */
public interface AgentCommands {

  /** Most commands a host may have unfinished at once; more is refused (409). */
  int MAX_UNFINISHED_PER_HOST = 64;

  /** Longest deadline a command may have. */
  Duration MAX_TIMEOUT = Duration.ofMinutes(10);

  /**
   * Queues a command for the host's agent.
   *
   * @param kind the handler the agent should run (letters, digits and '_', at most 64)
   * @param payloadJson the arguments, a JSON object
   * @param timeout how long the fabric waits for the result (at most {@link #MAX_TIMEOUT})
   * @throws io.weft.fabric.NotFoundException no such host
   * @throws io.weft.fabric.InvalidRequestException a bad kind, payload or timeout
   * @throws io.weft.fabric.ConflictException the host has too many unfinished commands
   */
  AgentCommand send(HostId host, String kind, String payloadJson, Duration timeout);

  /** The command as it is now (its state computed against the clock), if it exists. */
  Optional<AgentCommand> find(UUID id);

  /**
   * Waits up to {@code wait} for the command to finish and returns it as it is then (finished or
   * not). Woken by a result posted to any replica.
   *
   * @throws io.weft.fabric.NotFoundException no such command
   */
  AgentCommand awaitResult(UUID id, Duration wait);

  /**
   * Agents: waits up to {@code wait} for commands for this host, hands out every pending one (each
   * to exactly one caller) and returns them; empty if none came. The host's newest poll takes over
   * from older ones still waiting (an agent polls one at a time: an older poll is one a killed or
   * restarted agent left behind), which end at once with a {@code ConflictException}.
   */
  List<AgentCommand> awaitPending(HostId host, Duration wait);

  /**
   * Agents: whether the host has a command waiting to be taken (PENDING, before its deadline). One
   * indexed read, no write, no transaction, and none at all while this replica knows the host idle
   * (found without commands since the last {@link #whenQueued} signal for it): the portal asks it
   * at the start of every table poll that announces commands (TABLE-FORMAT.md, "Commands announced
   * on the table poll"). Right after a command was queued on another replica it may still say false
   * here; the signal that follows wakes the poll, which asks again.
   */
  boolean hasPending(HostId host);

  /**
   * Calls {@code listener} with the host, on this replica, each time a command may have been queued
   * for it here or on another replica (after the commit; a hint: ask {@link #hasPending}). A
   * replica that may have missed other replicas' notifications is not reported here: the fabric's
   * own wake-ups wake every long-poll then.
   */
  void whenQueued(Consumer<HostId> listener);

  /**
   * Agents: records the result of one of this host's commands.
   *
   * @throws io.weft.fabric.NotFoundException no such command for this host
   * @throws io.weft.fabric.ConflictException it has already finished or expired
   * @throws io.weft.fabric.InvalidRequestException the result is not a JSON object or is too large
   */
  AgentCommand complete(HostId host, UUID id, CommandOutcome outcome);

  /**
   * An agent's answer to a command.
   *
   * @param succeeded whether the agent did it
   * @param resultJson its result, a JSON object as text, or null
   * @param error why not, or null
   */
  record CommandOutcome(boolean succeeded, String resultJson, String error) {}
}
