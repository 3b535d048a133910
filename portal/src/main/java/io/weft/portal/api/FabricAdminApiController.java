package io.weft.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.weft.fabric.AuditEntry;
import io.weft.fabric.AuditLog;
import io.weft.fabric.Host;
import io.weft.fabric.HostService;
import io.weft.fabric.HostState;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.LogicalNetwork;
import io.weft.fabric.NewHost;
import io.weft.fabric.NewLogicalNetwork;
import io.weft.fabric.RegisteredHost;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
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
  @Operation(summary = "Recent audit log lines: everything (operators) or one tenant (its admins)")
  List<AuditEntry> audit(
      Authentication auth,
      @RequestParam(required = false) String tenantId,
      @RequestParam(defaultValue = "100") int limit) {
    return audit.recent(
        callers.resolve(auth), tenantId == null ? null : PathIds.tenant(tenantId), limit);
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
