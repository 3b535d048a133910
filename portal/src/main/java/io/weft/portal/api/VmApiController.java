package io.weft.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.weft.fabric.NewVm;
import io.weft.fabric.PageRequest;
import io.weft.fabric.Vm;
import io.weft.fabric.VmSearch;
import io.weft.fabric.VmService;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
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
@Tag(name = "VMs", description = "Tenant VMs with their vNICs; operators see placement and migrate")
class VmApiController {

  private static final String NAME_FILTER =
      "Only VMs whose name contains this text, in any case (at most "
          + VmSearch.MAX_LENGTH
          + " characters)";

  private final VmService vms;
  private final CallerResolver callers;

  VmApiController(VmService vms, CallerResolver callers) {
    this.vms = vms;
    this.callers = callers;
  }

  @PostMapping("/api/v1/tenants/{tenantId}/vms")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(summary = "Create a VM: MACs and static addresses are allocated, DHCP ones come later")
  Vm create(Authentication auth, @PathVariable String tenantId, @RequestBody NewVm body) {
    return vms.createVm(callers.resolve(auth), PathIds.tenant(tenantId), body);
  }

  @GetMapping("/api/v1/tenants/{tenantId}/vms")
  @Operation(summary = "The tenant's VMs by name, one page at a time")
  @PagedListDoc.PagedAnswer
  ResponseEntity<List<Vm>> list(
      Authentication auth,
      @PathVariable String tenantId,
      @Parameter(description = NAME_FILTER) @RequestParam(required = false) String name,
      @PagedListDoc.Offset @RequestParam(required = false) Integer offset,
      @PagedListDoc.Limit @RequestParam(required = false) Integer limit,
      @Parameter(hidden = true) HttpServletRequest request) {
    PageRequest page = PagedResponses.request(offset, limit);
    return PagedResponses.of(
        vms.pageVms(callers.resolve(auth), PathIds.tenant(tenantId), name, page), request);
  }

  @GetMapping("/api/v1/tenants/{tenantId}/vms/{id}")
  Vm get(Authentication auth, @PathVariable String tenantId, @PathVariable String id) {
    return vms.getVm(callers.resolve(auth), PathIds.tenant(tenantId), PathIds.vm(id));
  }

  @PutMapping("/api/v1/tenants/{tenantId}/vms/{id}")
  @Operation(summary = "Rename a VM")
  Vm rename(
      Authentication auth,
      @PathVariable String tenantId,
      @PathVariable String id,
      @RequestBody NameChange body) {
    return vms.renameVm(
        callers.resolve(auth), PathIds.tenant(tenantId), PathIds.vm(id), body.name());
  }

  @DeleteMapping("/api/v1/tenants/{tenantId}/vms/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void delete(Authentication auth, @PathVariable String tenantId, @PathVariable String id) {
    vms.deleteVm(callers.resolve(auth), PathIds.tenant(tenantId), PathIds.vm(id));
  }

  @GetMapping("/api/v1/vms")
  @Operation(
      summary = "Every VM of every tenant with its placement, one page at a time (operators)")
  @PagedListDoc.PagedAnswer
  ResponseEntity<List<Vm>> all(
      Authentication auth,
      @Parameter(description = NAME_FILTER) @RequestParam(required = false) String name,
      @PagedListDoc.Offset @RequestParam(required = false) Integer offset,
      @PagedListDoc.Limit @RequestParam(required = false) Integer limit,
      @Parameter(hidden = true) HttpServletRequest request) {
    PageRequest page = PagedResponses.request(offset, limit);
    return PagedResponses.of(vms.pageAllVms(callers.resolve(auth), name, page), request);
  }

  @PostMapping("/api/v1/vms/{id}/migrate")
  @Operation(summary = "Live-migrate a VM to another ready host (operators)")
  Vm migrate(Authentication auth, @PathVariable String id, @RequestBody MigrateRequest body) {
    if (body == null || body.hostId() == null) {
      throw new io.weft.fabric.InvalidRequestException("hostId is required", "hostId");
    }
    return vms.migrate(
        callers.resolve(auth), PathIds.vm(id), io.weft.fabric.HostId.parse(body.hostId()));
  }

  /** Body of a migration: the target host. */
  record MigrateRequest(String hostId) {}
}
