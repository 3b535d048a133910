package io.weft.diagnostics;

import io.weft.fabric.HostId;
import java.time.Instant;
import java.util.UUID;

/**
 * A command for one host's agent and, once the agent answered, its result. Carried on the agent's
 * command long-poll ({@code dataplane/TABLE-FORMAT.md}, "Agent commands").
 *
 * @param id the command's id, also in the agent's result URL
 * @param host the host whose agent runs it
 * @param kind what to do, e.g. {@code PROBE_INJECT}; the agent's dispatcher picks the handler by it
 * @param payload the command's arguments, a JSON object as text
 * @param state where it is; {@link CommandState#EXPIRED} once the deadline passed unanswered
 * @param createdAt when it was queued
 * @param deadline when the fabric stops waiting; a later result is refused
 * @param deliveredAt when an agent's long-poll took it, or null
 * @param completedAt when the result arrived, or null
 * @param result the agent's answer, a JSON object as text, or null
 * @param error why it failed (the agent's words), or null
 */
public record AgentCommand(
    UUID id,
    HostId host,
    String kind,
    String payload,
    CommandState state,
    Instant createdAt,
    Instant deadline,
    Instant deliveredAt,
    Instant completedAt,
    String result,
    String error) {

  public boolean finished() {
    return state.finished();
  }

  /** The lifecycle of a command. */
  public enum CommandState {
    /** Queued; no agent has taken it yet. */
    PENDING,
    /** An agent's long-poll took it; its result has not arrived. */
    DELIVERED,
    /** The agent answered with a result. */
    SUCCEEDED,
    /** The agent answered that it could not do it ({@code error} says why). */
    FAILED,
    /** The deadline passed without an answer (the agent is gone, paused or too slow). */
    EXPIRED;

    public boolean finished() {
      return this == SUCCEEDED || this == FAILED || this == EXPIRED;
    }
  }
}
