package io.weft.dataplane.agent;

import tools.jackson.databind.JsonNode;

/**
 * An agent's answer to a {@link FabricCommand}.
 *
 * @param succeeded whether it was done
 * @param result what it found (a JSON object), or null
 * @param error why it could not, or null
 */
public record CommandReply(boolean succeeded, JsonNode result, String error) {

  public static CommandReply succeeded(JsonNode result) {
    return new CommandReply(true, result, null);
  }

  public static CommandReply failed(String error) {
    return new CommandReply(false, null, error);
  }
}
