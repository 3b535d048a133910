package io.weft.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.weft.diagnostics.ConnectivityAnswer;
import io.weft.diagnostics.ConnectivityCheck;
import io.weft.diagnostics.ConnectivityRequest;
import io.weft.diagnostics.ProbeAnswer;
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

/** The one answer: trace, applied-table trace and live probe in one call. */
@RestController
@Tag(name = "Diagnostics")
class ConnectivityApiController {

  private final ConnectivityCheck connectivity;
  private final CallerResolver callers;

  ConnectivityApiController(ConnectivityCheck connectivity, CallerResolver callers) {
    this.connectivity = connectivity;
    this.callers = callers;
  }

  @PostMapping("/api/v1/diagnostics/connectivity")
  @Operation(
      summary =
          "Why can't these two VMs talk? Runs the trace over the intended tables, the trace over"
              + " the applied tables and a live probe together, and answers with one sentence"
              + " naming where and why it breaks (or that it works, with the round trip), then the"
              + " path hop by hop (per-hop times from the probe) and the three results. Waits up"
              + " to waitSeconds (0..30, default 10) for the probe: 200 when done, 202 with state"
              + " RUNNING otherwise (poll GET .../connectivity/{id}?wait=). The probe always sends"
              + " ICMP echoes (ICMPv6 to an IPv6 destination); TCP/UDP ports are checked by the"
              + " traces. 400 names a bad field (a destination of another family than the vNIC's),"
              + " an unknown or another tenant's vNIC is 404, too many probes lately 429")
  ResponseEntity<ConnectivityAnswer> check(
      Authentication auth, @RequestBody ConnectivityRequest body) {
    return respond(connectivity.check(callers.resolve(auth), body));
  }

  @GetMapping("/api/v1/diagnostics/connectivity/{id}")
  @Operation(
      summary =
          "An earlier connectivity answer, waiting up to wait seconds (0..30) for its live probe;"
              + " the traces are the ones taken when it was asked (state RUNNING until the probe is"
              + " done). Another tenant's is 404")
  ConnectivityAnswer get(
      Authentication auth, @PathVariable String id, @RequestParam(defaultValue = "0") int wait) {
    if (wait < 0 || wait > DiagnosticsApiController.MAX_PROBE_WAIT_SECONDS) {
      throw new InvalidRequestException(
          "wait must be between 0 and "
              + DiagnosticsApiController.MAX_PROBE_WAIT_SECONDS
              + " seconds",
          "wait");
    }
    return connectivity.get(callers.resolve(auth), id, Duration.ofSeconds(wait));
  }

  private static ResponseEntity<ConnectivityAnswer> respond(ConnectivityAnswer answer) {
    HttpStatus status =
        answer.state() == ProbeAnswer.State.RUNNING ? HttpStatus.ACCEPTED : HttpStatus.OK;
    return ResponseEntity.status(status).body(answer);
  }
}
