package io.weft.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.weft.fabric.AuditEntry;
import io.weft.fabric.AuditLog;
import io.weft.fabric.AuditQuery;
import io.weft.fabric.Host;
import io.weft.fabric.HostService;
import io.weft.fabric.HostState;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.LogicalNetwork;
import io.weft.fabric.NewHost;
import io.weft.fabric.NewLogicalNetwork;
import io.weft.fabric.PageRequest;
import io.weft.fabric.RegisteredHost;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Operations", description = "Logical networks, hosts and the audit log (operators)")
class FabricAdminApiController {

  private final HostService hosts;
  private final AuditLog audit;
  private final CallerResolver callers;

  FabricAdminApiController(HostService hosts, AuditLog audit, CallerResolver callers) {
    this.hosts = hosts;
    this.audit = audit;
    this.callers = callers;
  }

  @PostMapping("/api/v1/logical-networks")
  @ResponseStatus(HttpStatus.CREATED)
  LogicalNetwork createLogicalNetwork(Authentication auth, @RequestBody NewLogicalNetwork body) {
    return hosts.createLogicalNetwork(callers.resolve(auth), body);
  }

  @GetMapping("/api/v1/logical-networks")
  List<LogicalNetwork> listLogicalNetworks(Authentication auth) {
    return hosts.listLogicalNetworks(callers.resolve(auth));
  }

  @GetMapping("/api/v1/logical-networks/{id}")
  LogicalNetwork getLogicalNetwork(Authentication auth, @PathVariable String id) {
    return hosts.getLogicalNetwork(callers.resolve(auth), PathIds.logicalNetwork(id));
  }

  @DeleteMapping("/api/v1/logical-networks/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void deleteLogicalNetwork(Authentication auth, @PathVariable String id) {
    hosts.deleteLogicalNetwork(callers.resolve(auth), PathIds.logicalNetwork(id));
  }

  @PostMapping("/api/v1/hosts")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(summary = "Register a host; the answer holds its agent token, shown only this once")
  RegisteredHost register(Authentication auth, @RequestBody NewHost body) {
    return hosts.registerHost(callers.resolve(auth), body);
  }

  @GetMapping("/api/v1/hosts")
  List<Host> listHosts(Authentication auth) {
    return hosts.listHosts(callers.resolve(auth));
  }

  @GetMapping("/api/v1/hosts/{id}")
  Host getHost(Authentication auth, @PathVariable String id) {
    return hosts.getHost(callers.resolve(auth), PathIds.host(id));
  }

  @PutMapping("/api/v1/hosts/{id}/state")
  @Operation(summary = "Set a host's state: READY, DRAINING (moves its VMs away) or DOWN")
  Host setState(Authentication auth, @PathVariable String id, @RequestBody StateChange body) {
    return hosts.setHostState(callers.resolve(auth), PathIds.host(id), hostState(body));
  }

  @PostMapping("/api/v1/hosts/{id}/token")
  @Operation(summary = "Replace a host's agent token; the new one is in this answer only")
  RegisteredHost rotateToken(Authentication auth, @PathVariable String id) {
    return hosts.rotateAgentToken(callers.resolve(auth), PathIds.host(id));
  }

  @DeleteMapping("/api/v1/hosts/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void deleteHost(Authentication auth, @PathVariable String id) {
    hosts.deleteHost(callers.resolve(auth), PathIds.host(id));
  }

  @GetMapping("/api/v1/audit")
  @Operation(
      summary =
          "The audit log newest first, one page at a time: everything (operators) or one tenant"
              + " (its admins), optionally within a time range")
  @PagedListDoc.PagedAnswer
  ResponseEntity<List<AuditEntry>> audit(
      Authentication auth,
      @Parameter(description = "Only this tenant's lines (required for tenant admins)")
          @RequestParam(required = false)
          String tenantId,
      @Parameter(
              description =
                  "Only lines at or after this instant (ISO-8601, e.g. 2025-01-31T12:00:00Z)")
          @RequestParam(required = false)
          String since,
      @Parameter(
              description = "Only lines before this instant (ISO-8601)",
              schema = @Schema(type = "string", format = "date-time"))
          @RequestParam(required = false)
          String until,
      @PagedListDoc.Offset @RequestParam(required = false) Integer offset,
      @PagedListDoc.Limit @RequestParam(required = false) Integer limit,
      @Parameter(hidden = true) HttpServletRequest request) {
    PageRequest page = PagedResponses.request(offset, limit);
    AuditQuery query =
        new AuditQuery(
            tenantId == null ? null : PathIds.tenant(tenantId),
            instant(since, "since"),
            instant(until, "until"),
            null);
    return PagedResponses.of(audit.page(callers.resolve(auth), query, page), request);
  }

  private static Instant instant(String text, String parameter) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException(
          parameter + " must be an ISO-8601 instant such as 2025-01-31T12:00:00Z", parameter);
    }
  }

  /** Body of a host state change. */
  record StateChange(String state) {}

  private static HostState hostState(StateChange body) {
    if (body == null || body.state() == null) {
      throw new InvalidRequestException("state is required: READY, DRAINING or DOWN", "state");
    }
    try {
      HostState state = HostState.valueOf(body.state().strip().toUpperCase(Locale.ROOT));
      if (state == HostState.REGISTERING) {
        throw new IllegalArgumentException();
      }
      return state;
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("state must be READY, DRAINING or DOWN", "state");
    }
  }
}
