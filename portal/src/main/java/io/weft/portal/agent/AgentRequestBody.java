package io.weft.portal.agent;

import io.weft.dataplane.table.TableJson;
import io.weft.fabric.InvalidRequestException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** The JSON object an agent posts; anything else is a 400 that says what was wrong. */
final class AgentRequestBody {

  private AgentRequestBody() {}

  /**
   * The body as a JSON object; {@link InvalidRequestException} when it is not JSON or no object.
   */
  static JsonNode object(String body) {
    try {
      JsonNode root = TableJson.mapper().readTree(body == null ? "" : body);
      if (root == null || !root.isObject()) {
        throw new InvalidRequestException("the body must be a JSON object");
      }
      return root;
    } catch (JacksonException e) {
      throw new InvalidRequestException("the body is not JSON: " + e.getOriginalMessage());
    }
  }
}
