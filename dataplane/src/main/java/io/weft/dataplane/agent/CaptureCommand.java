package io.weft.dataplane.agent;

import io.weft.dataplane.backend.HostBackend;
import io.weft.dataplane.capture.BoundedCapture;
import io.weft.dataplane.capture.CaptureFilter;
import io.weft.dataplane.pipeline.MonotonicWallClock;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.TableJson;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletionException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code CAPTURE} command (TABLE-FORMAT.md, "Captures"): a bounded capture on one vNIC port or
 * on the host's underlay, answered with the pcap file: taken by the kernel through libpcap with the
 * filter as BPF on the linux backend, at the switch on the memory backend (and on a Linux host
 * without libpcap); the file's format is the same. The agent enforces the bounds itself as well
 * (packets, seconds, bytes, each at most the maxima below), so no fabric can make it fill the
 * host's memory; one capture per port and one on the underlay at a time.
 */
public final class CaptureCommand implements CommandDispatcher.Handler {

  public static final String KIND = "CAPTURE";
  public static final int MAX_PACKETS = 100_000;
  public static final int MAX_SECONDS = 300;
  public static final int MAX_BYTES = 4 * 1024 * 1024;

  /** Time kept back before the command's deadline to send the result. */
  private static final Duration MARGIN = Duration.ofSeconds(2);

  private final HostBackend backend;

  public CaptureCommand(HostBackend backend) {
    this.backend = backend;
  }

  /** Registers this kind with the agent's dispatcher. */
  public static void register(CommandDispatcher commands, HostBackend backend) {
    commands.register(KIND, new CaptureCommand(backend));
  }

  @Override
  public CommandReply handle(FabricCommand command) throws Exception {
    JsonNode p = command.payload();
    String target = p.path("target").asString("");
    String portId = null;
    if (target.equals("PORT")) {
      portId = p.path("portId").asString("");
      if (portId.isBlank()) {
        return CommandReply.failed("portId is required for a PORT capture");
      }
    } else if (!target.equals("UNDERLAY")) {
      return CommandReply.failed("target must be PORT or UNDERLAY");
    }
    int packets = p.path("packets").asInt(0);
    int seconds = p.path("seconds").asInt(0);
    int bytes = p.path("bytes").asInt(0);
    if (packets < 1 || packets > MAX_PACKETS) {
      return CommandReply.failed("packets must be 1.." + MAX_PACKETS);
    }
    if (seconds < 1 || seconds > MAX_SECONDS) {
      return CommandReply.failed("seconds must be 1.." + MAX_SECONDS);
    }
    if (bytes < 100 || bytes > MAX_BYTES) {
      return CommandReply.failed("bytes must be 100.." + MAX_BYTES);
    }
    JsonNode f = p.path("filter");
    String text = f.path("address").asString(null);
    IpAddress address;
    try {
      address = text == null ? null : IpAddress.parse(text);
    } catch (IllegalArgumentException e) {
      return CommandReply.failed("filter.address is not an IPv4 or IPv6 address: " + text);
    }
    CaptureFilter filter =
        new CaptureFilter(f.path("vsid").asInt(0), address, f.path("protocol").asInt(-1));
    BoundedCapture capture =
        new BoundedCapture(packets, bytes, portId == null, filter, MonotonicWallClock.system());
    String capturedBy;
    try {
      capturedBy = backend.attachCapture(portId, capture).join();
    } catch (CompletionException e) {
      return CommandReply.failed(e.getCause().getMessage());
    }
    BoundedCapture.StoppedBy stoppedBy;
    try {
      Duration left = command.remaining().minus(MARGIN);
      Duration time = Duration.ofSeconds(seconds);
      stoppedBy = capture.await(left.compareTo(time) < 0 && !left.isNegative() ? left : time);
    } finally {
      backend.detachCapture(portId, capture).join();
    }
    byte[] pcap = capture.pcap();
    ObjectNode result = TableJson.mapper().createObjectNode();
    result.put("pcap", Base64.getEncoder().encodeToString(pcap));
    result.put("packets", capture.packets());
    result.put("bytes", pcap.length);
    result.put("stoppedBy", stoppedBy.name());
    result.put("capturedBy", capturedBy);
    return CommandReply.succeeded(result);
  }
}
