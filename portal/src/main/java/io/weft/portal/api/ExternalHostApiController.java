package io.weft.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.weft.fabric.ExternalHost;
import io.weft.fabric.ExternalHostService;
import io.weft.fabric.ExternalMachine;
import io.weft.fabric.NewExternalHost;
import io.weft.fabric.NewExternalMachine;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** External NVGRE/VXLAN endpoints and the machines behind them (operators only). */
@RestController
@Tag(
    name = "External hosts",
    description =
        "NVGRE or VXLAN endpoints Weft does not run, admitted into VM networks (operators)")
class ExternalHostApiController {

  private final ExternalHostService external;
  private final CallerResolver callers;

  ExternalHostApiController(ExternalHostService external, CallerResolver callers) {
    this.external = external;
    this.callers = callers;
  }

  @PostMapping("/api/v1/external-hosts")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(
      summary =
          "Register an external endpoint (a PA on a logical network) and the machines behind it"
              + " (VM subnet, CA, MAC each); hosts sharing their VM networks learn them")
  ExternalHost register(Authentication auth, @RequestBody NewExternalHost body) {
    return external.register(callers.resolve(auth), body);
  }

  @GetMapping("/api/v1/external-hosts")
  List<ExternalHost> list(Authentication auth) {
    return external.list(callers.resolve(auth));
  }

  @GetMapping("/api/v1/external-hosts/{id}")
  ExternalHost get(Authentication auth, @PathVariable String id) {
    return external.get(callers.resolve(auth), PathIds.externalHost(id));
  }

  @DeleteMapping("/api/v1/external-hosts/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(summary = "Remove an external endpoint with all its machines")
  void delete(Authentication auth, @PathVariable String id) {
    external.delete(callers.resolve(auth), PathIds.externalHost(id));
  }

  @PostMapping("/api/v1/external-hosts/{id}/machines")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(summary = "Admit one more machine behind an external endpoint")
  ExternalMachine addMachine(
      Authentication auth, @PathVariable String id, @RequestBody NewExternalMachine body) {
    return external.addMachine(callers.resolve(auth), PathIds.externalHost(id), body);
  }

  @DeleteMapping("/api/v1/external-hosts/{id}/machines/{machineId}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(summary = "Withdraw a machine; hosts drop its lookup record")
  void removeMachine(Authentication auth, @PathVariable String id, @PathVariable String machineId) {
    external.removeMachine(
        callers.resolve(auth), PathIds.externalHost(id), PathIds.externalMachine(machineId));
  }
}
