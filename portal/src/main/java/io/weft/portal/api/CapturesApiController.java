package io.weft.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.weft.diagnostics.CaptureRequest;
import io.weft.diagnostics.CaptureStatus;
import io.weft.diagnostics.PacketCaptures;
import io.weft.fabric.InvalidRequestException;
import java.net.URI;
import java.util.List;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Diagnostics")
class CapturesApiController {

  static final MediaType PCAP = MediaType.parseMediaType("application/vnd.tcpdump.pcap");

  private final PacketCaptures captures;
  private final CallerResolver callers;

  CapturesApiController(PacketCaptures captures, CallerResolver callers) {
    this.captures = captures;
    this.callers = callers;
  }

  @PostMapping("/api/v1/diagnostics/captures")
  @Operation(
      summary =
          "Start a bounded capture on a vNIC (its tenant, operators) or a host's underlay"
              + " (operators): packets, seconds and bytes are all required and limited; optional"
              + " filter by vsid (underlay), IPv4 or IPv6 address (inside NVGRE/VXLAN too),"
              + " protocol (ICMP, ICMPv6, TCP, UDP). 202 with the capture's id; a"
              + " missing or excessive bound is a 400 naming it, another tenant's vNIC 404, a host"
              + " with too many captures running 409")
  ResponseEntity<CaptureStatus> start(Authentication auth, @RequestBody CaptureRequest body) {
    CaptureStatus started = captures.start(callers.resolve(auth), body);
    return ResponseEntity.accepted()
        .location(URI.create("/api/v1/diagnostics/captures/" + started.id()))
        .body(started);
  }

  @GetMapping("/api/v1/diagnostics/captures")
  @Operation(summary = "Captures, newest first (a tenant's own; operators all)")
  List<CaptureStatus> list(Authentication auth, @RequestParam(required = false) String limit) {
    int n;
    try {
      n = limit == null || limit.isBlank() ? 50 : Integer.parseInt(limit.strip());
    } catch (NumberFormatException e) {
      throw new InvalidRequestException("limit must be a whole number", "limit");
    }
    return captures.list(callers.resolve(auth), n);
  }

  @GetMapping("/api/v1/diagnostics/captures/{id}")
  @Operation(summary = "A capture's state: RUNNING, DONE (download it) or FAILED with why")
  CaptureStatus status(Authentication auth, @PathVariable String id) {
    return captures.status(callers.resolve(auth), PathIds.uuid(id, "capture", "id"));
  }

  @GetMapping("/api/v1/diagnostics/captures/{id}/pcap")
  @Operation(
      summary =
          "Download a finished capture as a pcap file (Wireshark, tshark); another tenant's is 404,"
              + " a running one 409")
  ResponseEntity<byte[]> pcap(Authentication auth, @PathVariable String id) {
    var capture = PathIds.uuid(id, "capture", "id");
    byte[] file = captures.pcap(callers.resolve(auth), capture);
    return ResponseEntity.ok()
        .contentType(PCAP)
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.attachment()
                .filename("capture-" + capture + ".pcap")
                .build()
                .toString())
        .body(file);
  }
}
