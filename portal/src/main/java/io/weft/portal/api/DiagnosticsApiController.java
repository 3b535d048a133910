package io.weft.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.weft.diagnostics.ConnectivityDiagnostics;
import io.weft.diagnostics.TraceAnswer;
import io.weft.diagnostics.TraceRequest;
import org.springframework.security.core.Authentication;
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
  private final CallerResolver callers;

  DiagnosticsApiController(ConnectivityDiagnostics diagnostics, CallerResolver callers) {
    this.diagnostics = diagnostics;
    this.callers = callers;
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
