package io.weft.portal.agent;

import io.weft.dataplane.agent.CommandAnnouncement;
import io.weft.dataplane.table.TableJson;
import io.weft.diagnostics.AgentCommand;
import io.weft.diagnostics.AgentCommands;
import io.weft.diagnostics.AgentCommands.CommandOutcome;
import io.weft.fabric.HostId;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.NotFoundException;
import io.weft.fabric.tables.HostTableService;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The agents' command long-poll and result endpoint ({@code dataplane/TABLE-FORMAT.md}, "Agent
 * commands"): commands the fabric queued for the calling host, and the host's answers to them.
 */
@RestController
@RequestMapping("/api/v1/agent/commands")
class AgentCommandController {

  private final AgentCommands commands;
  private final HostTableService tables;

  AgentCommandController(AgentCommands commands, HostTableService tables) {
    this.commands = commands;
    this.tables = tables;
  }

  @GetMapping
  ResponseEntity<String> poll(
      @AuthenticationPrincipal HostId host, @RequestParam(defaultValue = "0") int wait) {
    if (wait < 0 || wait > AgentController.MAX_WAIT_SECONDS) {
      throw new InvalidRequestException(
          "wait must be between 0 and " + AgentController.MAX_WAIT_SECONDS + " seconds", "wait");
    }
    tables.agentPolled(host); // a sign of life as the table poll is (TABLE-FORMAT.md, "Liveness")
    List<AgentCommand> taken = commands.awaitPending(host, Duration.ofSeconds(wait));
    // This fabric announces commands on the table poll (CommandAnnouncer): an agent that asks for
    // that needs no command long-poll; it learns so here, on its first take, at once.
    if (taken.isEmpty()) {
      return ResponseEntity.noContent()
          .header(CommandAnnouncement.HEADER, CommandAnnouncement.ANNOUNCED)
          .build();
    }
    ObjectNode body = TableJson.mapper().createObjectNode();
    body.put("formatVersion", TableJson.FORMAT_VERSION);
    ArrayNode list = body.putArray("commands");
    for (AgentCommand c : taken) {
      ObjectNode item = list.addObject();
      item.put("id", c.id().toString());
      item.put("kind", c.kind());
      item.put("deadline", c.deadline().toString());
      item.set("payload", TableJson.mapper().readTree(c.payload()));
    }
    return ResponseEntity.ok()
        .header(CommandAnnouncement.HEADER, CommandAnnouncement.ANNOUNCED)
        .contentType(MediaType.APPLICATION_JSON)
        .body(body.toString());
  }

  @PostMapping(path = "/{id}/result", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Void> result(
      @AuthenticationPrincipal HostId host,
      @PathVariable String id,
      @RequestBody(required = false) String body) {
    UUID command;
    try {
      command = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new NotFoundException("no such command for this host", "id");
    }
    JsonNode root = AgentRequestBody.object(body);
    String status = root.path("status").asString("");
    if (!status.equals("SUCCEEDED") && !status.equals("FAILED")) {
      throw new InvalidRequestException("status must be SUCCEEDED or FAILED", "status");
    }
    JsonNode result = root.get("result");
    if (result != null && !result.isNull() && !result.isObject()) {
      throw new InvalidRequestException("result must be a JSON object or null", "result");
    }
    JsonNode error = root.get("error");
    if (error != null && !error.isNull() && !error.isString()) {
      throw new InvalidRequestException("error must be text or null", "error");
    }
    commands.complete(
        host,
        command,
        new CommandOutcome(
            status.equals("SUCCEEDED"),
            result == null || result.isNull() ? null : result.toString(),
            error == null || error.isNull() ? null : error.asString()));
    return ResponseEntity.noContent().build();
  }
}
