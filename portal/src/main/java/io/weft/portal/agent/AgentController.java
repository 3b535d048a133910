package io.weft.portal.agent;

import io.weft.dataplane.agent.CommandAnnouncement;
import io.weft.dataplane.agent.TableClient;
import io.weft.dataplane.table.TableJson;
import io.weft.diagnostics.AppliedDigests;
import io.weft.diagnostics.DropRecords;
import io.weft.diagnostics.ReconciliationService;
import io.weft.fabric.AccessDeniedException;
import io.weft.fabric.HostId;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.VmService;
import io.weft.fabric.VnicId;
import io.weft.fabric.tables.AgentReport;
import io.weft.fabric.tables.HostTableService;
import io.weft.fabric.tables.TablesBusyException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The agent protocol of {@code dataplane/TABLE-FORMAT.md}. Bodies are read and written with the
 * data plane's own {@link TableJson} mapper, so the wire format has exactly one definition.
 */
@RestController
@RequestMapping("/api/v1/agent")
class AgentController {

  /**
   * Longest long-poll we hold; the agent asks for this (TableClient.DEFAULT_WAIT) and times out at
   * 2 × wait + 10 s. The liveness windows depend on it (TABLE-FORMAT.md, "Liveness").
   */
  static final int MAX_WAIT_SECONDS = 60;

  private final HostTableService tables;
  private final VmService vms;
  private final ReconciliationService reconciliation;
  private final DropRecords drops;
  private final AppliedDigests applied;
  private final CommandAnnouncer announcer;

  AgentController(
      HostTableService tables,
      CommandAnnouncer announcer,
      VmService vms,
      ReconciliationService reconciliation,
      DropRecords drops,
      AppliedDigests applied) {
    this.applied = applied;
    this.announcer = announcer;
    this.tables = tables;
    this.vms = vms;
    this.reconciliation = reconciliation;
    this.drops = drops;
  }

  @GetMapping("/table")
  ResponseEntity<String> table(
      @AuthenticationPrincipal HostId host,
      @RequestParam(defaultValue = "0") long since,
      @RequestParam(defaultValue = "0") int wait,
      @RequestHeader(name = CommandAnnouncement.HEADER, required = false) String commandsHeader) {
    if (since < 0) {
      throw new InvalidRequestException("since must be 0 or a generation", "since");
    }
    if (wait < 0 || wait > MAX_WAIT_SECONDS) {
      throw new InvalidRequestException(
          "wait must be between 0 and " + MAX_WAIT_SECONDS + " seconds", "wait");
    }
    tables.agentPolled(host); // the poll is the agent's sign of life (TABLE-FORMAT.md, "Liveness")
    // An agent that asks is told of queued commands on this poll instead of long-polling them.
    boolean announce = CommandAnnouncement.ASK.equals(commandsHeader);
    CommandAnnouncer.Answer answer;
    try {
      answer =
          announce
              ? announcer.await(host, since, Duration.ofSeconds(wait))
              : new CommandAnnouncer.Answer(
                  tables.awaitChanges(host, since, Duration.ofSeconds(wait)), false);
    } catch (TablesBusyException busy) {
      // Busy building other hosts' snapshots: answered here, cheaply (AgentProblems.busyAnswer).
      return AgentProblems.busyAnswer(busy, "/api/v1/agent/table");
    }
    ResponseEntity.BodyBuilder reply;
    if (answer.message().isPresent()) {
      reply = ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON);
    } else {
      reply = ResponseEntity.status(HttpStatus.NO_CONTENT);
      if (tables.draining()) {
        // Shutting down: "no change", and poll again elsewhere after a random pause (TableClient).
        reply.header(TableClient.DRAINING_HEADER, "true");
      }
    }
    if (announce) {
      reply.header(
          CommandAnnouncement.HEADER,
          answer.commandsPending() ? CommandAnnouncement.PENDING : CommandAnnouncement.ANNOUNCED);
    }
    return answer.message().isPresent()
        ? reply.body(TableJson.write(answer.message().get()))
        : reply.build();
  }

  @PostMapping(path = "/status", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Void> status(@AuthenticationPrincipal HostId host, @RequestBody String body) {
    JsonNode root = AgentRequestBody.object(body);
    String claimed = root.path("hostId").asString("");
    if (!claimed.isEmpty() && !claimed.equals(host.toString())) {
      throw new AccessDeniedException("this token belongs to another host", "hostId");
    }
    JsonNode generation = root.get("generation");
    if (generation == null || !generation.canConvertToLong()) {
      throw new InvalidRequestException("generation is required", "generation");
    }
    JsonNode rejection = root.get("lastRejection");
    String reason =
        rejection == null || rejection.isNull() ? null : rejection.path("reason").asString(null);
    JsonNode counters = root.get("counters");
    JsonNode underlay = root.get("underlay");
    if (underlay != null && !underlay.isNull() && !underlay.isObject()) {
      throw new InvalidRequestException("underlay must be an object", "underlay");
    }
    // Optional reconciliation fields (observed addresses, PA, clock offset); a bad one is a 400.
    ObservationReport.read(root).ifPresent(o -> reconciliation.recordObservations(host, o));
    DropReportReader.read(root)
        .ifPresent(d -> drops.record(host, d.lost(), d.lostByVsid(), d.records()));
    JsonNode digests = root.get("networkDigests");
    if (digests != null && !digests.isNull()) {
      if (!digests.isObject()) {
        throw new InvalidRequestException("networkDigests must be an object", "networkDigests");
      }
      Map<String, String> byNetwork = new TreeMap<>();
      digests.properties().forEach(e -> byNetwork.put(e.getKey(), e.getValue().asString()));
      applied.record(host, generation.longValue(), byNetwork);
    }
    tables.reportApplied(
        host,
        new AgentReport(
            generation.longValue(),
            root.path("digest").asString(null),
            counters == null || counters.isNull() ? null : counters.toString(),
            reason,
            underlay == null || underlay.isNull() ? null : underlay.toString()));
    return ResponseEntity.noContent().build();
  }

  @PostMapping(path = "/leases", consumes = MediaType.APPLICATION_JSON_VALUE)
  Map<String, String> lease(@AuthenticationPrincipal HostId host, @RequestBody String body) {
    JsonNode root = AgentRequestBody.object(body);
    String id = root.path("portId").asString(root.path("vnicId").asString(""));
    if (id.isBlank()) {
      throw new InvalidRequestException("portId (the vNIC id) is required", "portId");
    }
    VnicId vnic = VnicId.parse(id);
    String address = vms.leaseDhcpAddress(host, vnic);
    return Map.of("portId", vnic.toString(), "address", address);
  }
}
