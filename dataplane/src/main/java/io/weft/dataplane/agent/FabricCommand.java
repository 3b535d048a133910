package io.weft.dataplane.agent;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * A command the fabric sent this agent on the command long-poll ({@code TABLE-FORMAT.md}, "Agent
 * commands").
 *
 * @param id the command's id; its result goes to {@code /api/v1/agent/commands/{id}/result}
 * @param kind which handler runs it
 * @param payload the arguments (a JSON object)
 * @param deadline after this the fabric refuses the result; handlers should finish before it
 */
public record FabricCommand(String id, String kind, JsonNode payload, Instant deadline) {

  /** Time left until the deadline (zero when it has passed). */
  public java.time.Duration remaining() {
    java.time.Duration left = java.time.Duration.between(Instant.now(), deadline);
    return left.isNegative() ? java.time.Duration.ZERO : left;
  }
}
