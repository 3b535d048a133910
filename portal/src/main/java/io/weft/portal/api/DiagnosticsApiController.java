package io.weft.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.weft.diagnostics.ConnectivityDiagnostics;
import io.weft.diagnostics.DriftReport;
import io.weft.diagnostics.HostDrift;
import io.weft.diagnostics.LiveProbes;
import io.weft.diagnostics.ProbeAnswer;
import io.weft.diagnostics.ProbeRequest;
import io.weft.diagnostics.TableDriftAudit;
import io.weft.diagnostics.TraceAnswer;
import io.weft.diagnostics.TraceRequest;
import io.weft.fabric.InvalidRequestException;
import java.time.Duration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
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
  private final LiveProbes probes;
  private final CallerResolver callers;

  DiagnosticsApiController(
      ConnectivityDiagnostics diagnostics,
      TableDriftAudit drift,
      LiveProbes probes,
      CallerResolver callers) {
    this.diagnostics = diagnostics;
    this.drift = drift;
    this.probes = probes;
    this.callers = callers;
  }

  /** Longest a probe read may wait for the probe to finish. */
  static final int MAX_PROBE_WAIT_SECONDS = 30;

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

  @PostMapping("/api/v1/diagnostics/probes")
  @Operation(
      summary =
          "Start a live probe: the source host's agent injects ICMP echoes (ICMPv6 to an IPv6"
              + " destination) at the vNIC as if its VM"
              + " sent them (count 1..5, never more), every host on the path records what it did"
              + " with them, and the destination VM's real reply is observed. Answers 202 at once"
              + " with the probe's id (state RUNNING); poll GET .../probes/{id}?wait=. 400 names a"
              + " bad field, another tenant's vNIC is 404, too many probes lately 429")
  ResponseEntity<ProbeAnswer> startProbe(Authentication auth, @RequestBody ProbeRequest body) {
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .body(probes.start(callers.resolve(auth), body));
  }

  @GetMapping("/api/v1/diagnostics/probes/{id}")
  @Operation(
      summary =
          "A live probe's answer: the sentence, the path with per-hop times, round-trip times and"
              + " the host's own answers; waits up to wait seconds (0..30) for it to finish")
  ProbeAnswer probe(
      Authentication auth, @PathVariable String id, @RequestParam(defaultValue = "0") int wait) {
    if (wait < 0 || wait > MAX_PROBE_WAIT_SECONDS) {
      throw new InvalidRequestException(
          "wait must be between 0 and " + MAX_PROBE_WAIT_SECONDS + " seconds", "wait");
    }
    return probes.get(callers.resolve(auth), id, Duration.ofSeconds(wait));
  }
}
