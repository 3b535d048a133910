package io.weft.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.weft.diagnostics.ConnectivityDiagnostics;
import io.weft.diagnostics.DriftReport;
import io.weft.diagnostics.HostDrift;
import io.weft.diagnostics.TableDriftAudit;
import io.weft.diagnostics.TraceAnswer;
import io.weft.diagnostics.TraceRequest;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(
    name = "Diagnostics",
    description =
        "Why can't two VMs talk? Traces through the data plane's own pipeline; tenants only between"
            + " their own vNICs and without host names or provider addresses")
class DiagnosticsApiController {

  private final ConnectivityDiagnostics diagnostics;
  private final TableDriftAudit drift;
  private final CallerResolver callers;

  DiagnosticsApiController(
      ConnectivityDiagnostics diagnostics, TableDriftAudit drift, CallerResolver callers) {
    this.diagnostics = diagnostics;
    this.drift = drift;
    this.callers = callers;
  }

  @GetMapping("/api/v1/diagnostics/drift")
  @Operation(
      summary =
          "Operators: the latest audit of every host's applied table against the intended one"
              + " (scheduled every few seconds; audited now if none yet)")
  DriftReport latestDrift(Authentication auth) {
    var caller = callers.resolve(auth);
    return drift.latest(caller).orElseGet(() -> drift.auditNow(caller));
  }

  @PostMapping("/api/v1/diagnostics/drift")
  @Operation(summary = "Operators: audit every host's applied table now")
  DriftReport auditDrift(Authentication auth) {
    return drift.auditNow(callers.resolve(auth));
  }

  @GetMapping("/api/v1/diagnostics/drift/hosts/{hostId}")
  @Operation(
      summary =
          "Operators: one host now, with the entries it lacks (CA, VSID, expected PA) when it is"
              + " behind")
  HostDrift hostDrift(Authentication auth, @PathVariable String hostId) {
    return drift.auditHost(callers.resolve(auth), PathIds.host(hostId));
  }

  @PostMapping("/api/v1/diagnostics/trace")
  @Operation(
      summary =
          "Trace a packet from a vNIC over the fabric's intended tables, there and back: one"
              + " sentence, every blocker with its fix, each step with the table entry that decided"
              + " it. 400 names a bad field; another tenant's vNIC is 404")
  TraceAnswer trace(Authentication auth, @RequestBody TraceRequest body) {
    return diagnostics.trace(callers.resolve(auth), body);
  }
}
