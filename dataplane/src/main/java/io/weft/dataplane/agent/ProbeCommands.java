package io.weft.dataplane.agent;

import io.weft.dataplane.backend.HostBackend;
import io.weft.dataplane.codec.Ethernet;
import io.weft.dataplane.codec.Icmpv4;
import io.weft.dataplane.codec.Icmpv6;
import io.weft.dataplane.codec.Ipv4;
import io.weft.dataplane.codec.Ipv6;
import io.weft.dataplane.pipeline.ProbeObservation;
import io.weft.dataplane.pipeline.ProbeRecorder;
import io.weft.dataplane.pipeline.ProbeSignature;
import io.weft.dataplane.pipeline.TraceStage;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.LookupRecord;
import io.weft.dataplane.table.MacAddress;
import io.weft.dataplane.table.PortEntry;
import io.weft.dataplane.table.TableJson;
import io.weft.dataplane.table.VmNetworkTable;
import io.weft.dataplane.table.VmSubnet;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The live-probe commands ({@code TABLE-FORMAT.md}, "Live probes"). {@code PROBE_INJECT}: on the
 * source host, checks the host's own answers (ARP for the gateway, the DHCP offer), then injects
 * tagged ICMP echoes at the vNIC as if the VM sent them and records every decision this switch
 * takes for them and for the replies, until each reply is back or the time is up. {@code
 * PROBE_WATCH}: on any other host on the path, records the same for packets carrying the probe's
 * nonce. Probe frames are recognised by {@link ProbeSignature}; nothing else is touched.
 */
public final class ProbeCommands {

  private static final Logger LOG = LoggerFactory.getLogger(ProbeCommands.class);

  public static final String INJECT = "PROBE_INJECT";
  public static final String WATCH = "PROBE_WATCH";
  static final int MAX_COUNT = 5;
  static final Duration MAX_TIME = Duration.ofSeconds(10);

  /** How the switch's DELIVER step names the port (VirtualSwitch). */
  private static final String TO_PORT = "to port ";

  /** IP packet sizes of the echoes: a default ping; the tag needs 44; a jumbo frame at most. */
  static final int DEFAULT_SIZE = 84;

  static final int MIN_SIZE = 44;

  /** The IPv6 header is 20 bytes longer, so an IPv6 probe packet is at least 64 bytes. */
  static final int MIN_SIZE_V6 = 64;

  static final int MAX_SIZE = 9000;

  private final HostAgent agent;
  private final HostBackend backend;
  private final HostAnswerChecks answers;

  private ProbeCommands(HostAgent agent, HostBackend backend) {
    this.agent = agent;
    this.backend = backend;
    this.answers = new HostAnswerChecks(backend);
  }

  /** Registers both kinds for the agent's host. */
  public static void register(CommandDispatcher dispatcher, HostAgent agent, HostBackend backend) {
    ProbeCommands probes = new ProbeCommands(agent, backend);
    dispatcher.register(INJECT, probes::inject).register(WATCH, probes::watch);
  }

  private CommandReply watch(FabricCommand c) throws Exception {
    long nonce = nonce(c.payload());
    int count = Math.clamp(c.payload().path("count").asInt(1), 1, MAX_COUNT);
    Duration time = time(c);
    ProbeRecorder recorder = new ProbeRecorder();
    if (!backend.probes().watch(nonce, recorder)) {
      return CommandReply.failed("this host already watches too many probes");
    }
    try {
      // Done with its part once every reply has left (or was delivered here) or anything dropped.
      recorder.awaitUntil(o -> replies(o, false) >= count || dropped(o), time);
    } finally {
      backend.probes().unwatch(nonce);
    }
    ObjectNode result = result(recorder);
    addPortProblems(result, recorder.observations());
    return CommandReply.succeeded(result);
  }

  /**
   * For each port a request was delivered to and no reply came from: what the backend knows is
   * wrong with it (e.g. the VM's interface is down), so the answer can name it.
   */
  private void addPortProblems(ObjectNode result, List<ProbeObservation> observations) {
    boolean replied = observations.stream().anyMatch(ProbeObservation::reply);
    if (replied) {
      return;
    }
    ArrayNode problems = null;
    for (String portId :
        observations.stream()
            .filter(o -> !o.reply() && o.stage() == TraceStage.DELIVER)
            .map(o -> o.detail().startsWith(TO_PORT) ? o.detail().substring(TO_PORT.length()) : "")
            .filter(id -> !id.isEmpty())
            .distinct()
            .toList()) {
      String problem;
      try {
        problem = backend.portProblem(portId).get(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) { // the check is extra: the probe's answer goes out without it
        LOG.warn("probe: could not check port {}: {}", portId, e.toString());
        continue;
      }
      if (problem != null) {
        if (problems == null) {
          problems = result.putArray("portProblems");
        }
        problems.addObject().put("portId", portId).put("problem", problem);
      }
    }
  }

  private CommandReply inject(FabricCommand c) throws Exception {
    JsonNode p = c.payload();
    long nonce = nonce(p);
    int count = Math.clamp(p.path("count").asInt(1), 1, MAX_COUNT);
    String portId = p.path("portId").asString("");
    IpAddress destination;
    try {
      destination = IpAddress.parse(p.path("destination").asString(""));
    } catch (RuntimeException e) {
      return CommandReply.failed("destination is not an IPv4 or IPv6 address");
    }
    boolean v6 = destination.v6();
    HostTable table = agent.table();
    PortEntry port = null;
    VmNetworkTable network = null;
    for (VmNetworkTable n : table.networks()) {
      for (PortEntry e : n.ports()) {
        if (e.portId().equals(portId)) {
          port = e;
          network = n;
        }
      }
    }
    if (port == null) {
      return CommandReply.failed(
          "NO_PORT: table generation " + table.generation() + " has no port " + portId);
    }
    PortEntry source = port;
    VmSubnet subnet =
        network.subnets().stream().filter(s -> s.vsid() == source.vsid()).findFirst().orElseThrow();
    IpAddress self = address(port, v6);
    ObjectNode result = TableJson.mapper().createObjectNode();
    result.put("generation", table.generation());
    ArrayNode checks = result.putArray("checks");
    if (!v6) {
      HostAnswerChecks.checkDhcp(checks, table, port);
    }
    if (self == null) {
      return CommandReply.failed(
          v6
              ? "NO_ADDRESS: the vNIC has no IPv6 address (its subnet is " + subnet.prefix() + ")"
              : "NO_ADDRESS: the vNIC has no IPv4 address yet");
    }
    result.put("sourceAddress", self.toString());
    String resolution = v6 ? "_ND" : "_ARP";
    boolean gatewayOk =
        subnet.gateway().v6() == v6
            && answers.checkResolution(
                checks, "GATEWAY" + resolution, port, self, subnet.gateway());
    MacAddress nextHop = subnet.gatewayMac();
    if (subnet.prefix().contains(destination) && !destination.equals(subnet.gateway())) {
      nextHop = recordMac(network, subnet.vsid(), destination);
      if (nextHop == null) {
        // The VM would ask for the MAC first and get no answer: show exactly that, send no more.
        answers.checkResolution(checks, "DESTINATION" + resolution, port, self, destination);
        result.put("sent", 0);
        result.putArray("observations");
        return CommandReply.succeeded(result);
      }
    } else if (!gatewayOk) {
      result.put(
          "note",
          "the gateway's "
              + (v6 ? "neighbour advertisement" : "ARP")
              + " was not answered;"
              + " a VM could not route");
    }
    ProbeRecorder recorder = new ProbeRecorder();
    if (!backend.probes().watch(nonce, recorder)) {
      return CommandReply.failed("this host already watches too many probes");
    }
    try {
      long settle = Math.clamp(p.path("settleMs").asLong(0), 0, 1000);
      if (settle > 0) {
        TimeUnit.MILLISECONDS.sleep(settle); // the other hosts' watches take their commands
      }
      int size =
          Math.clamp(p.path("size").asInt(DEFAULT_SIZE), v6 ? MIN_SIZE_V6 : MIN_SIZE, MAX_SIZE);
      result.put("size", size);
      byte[] frame = new byte[Ethernet.HEADER + size];
      for (int seq = 1; seq <= count; seq++) {
        int len =
            v6
                ? ProbeSignature.writeRequestV6(
                    frame,
                    nextHop.value(),
                    port.mac().value(),
                    self,
                    destination,
                    nonce,
                    seq,
                    size - Ipv6.HEADER - Icmpv6.MIN_LENGTH)
                : ProbeSignature.writeRequest(
                    frame,
                    nextHop.value(),
                    port.mac().value(),
                    self.v4Bits(),
                    destination.v4Bits(),
                    nonce,
                    seq,
                    size - Ipv4.MIN_HEADER - Icmpv4.MIN_LENGTH);
        backend.injectProbe(portId, Arrays.copyOf(frame, len)).get(2, TimeUnit.SECONDS);
      }
      recorder.awaitUntil(o -> replies(o, true) >= count || dropped(o), time(c));
    } finally {
      backend.probes().unwatch(nonce);
    }
    result.put("sent", count);
    result.setAll(result(recorder));
    addPortProblems(result, recorder.observations());
    return CommandReply.succeeded(result);
  }

  /**
   * The vNIC's address of the probe's family: a static one from the table, or (IPv4) the one its
   * host's DHCP responder leased.
   */
  private IpAddress address(PortEntry port, boolean v6) throws Exception {
    for (IpAddress a : port.allowedAddresses()) {
      if (a.v6() == v6) {
        return a;
      }
    }
    return v6 ? null : backend.leasedAddress(port.portId()).get(2, TimeUnit.SECONDS);
  }

  private static MacAddress recordMac(VmNetworkTable network, int vsid, IpAddress ca) {
    for (LookupRecord r : network.lookupRecords()) {
      if (r.vsid() == vsid && r.ca().equals(ca)) {
        return r.mac();
      }
    }
    return null;
  }

  private static long nonce(JsonNode payload) {
    try {
      return Long.parseUnsignedLong(payload.path("nonce").asString(""), 16);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("nonce must be 16 hex digits");
    }
  }

  private static Duration time(FabricCommand c) {
    Duration asked = Duration.ofMillis(Math.max(1, c.payload().path("timeoutMs").asLong(2000)));
    Duration cap = c.remaining().minusMillis(200);
    Duration t = asked.compareTo(cap) < 0 ? asked : cap;
    return t.compareTo(MAX_TIME) > 0 ? MAX_TIME : t.isNegative() ? Duration.ZERO : t;
  }

  /**
   * Probe packets whose reply this host finished with: delivered back to the source vNIC ({@code
   * atSource}), or, on another host, sent on towards the source (encapsulated or delivered).
   */
  private static long replies(List<ProbeObservation> o, boolean atSource) {
    return o.stream()
        .filter(x -> x.reply())
        .filter(x ->
            x.stage() == TraceStage.DELIVER || (!atSource && x.stage() == TraceStage.ENCAPSULATE))
        .map(ProbeObservation::sequence)
        .distinct()
        .count();
  }

  private static boolean dropped(List<ProbeObservation> o) {
    return o.stream().anyMatch(x -> x.stage() == TraceStage.DROP);
  }

  private static ObjectNode result(ProbeRecorder recorder) {
    ObjectNode out = TableJson.mapper().createObjectNode();
    ArrayNode list = out.putArray("observations");
    for (ProbeObservation o : recorder.observations()) {
      ObjectNode n = list.addObject();
      n.put("at", o.at().toString());
      n.put("nanos", o.nanos());
      n.put("from", o.from());
      n.put("direction", o.reply() ? "REPLY" : "REQUEST");
      n.put("sequence", o.sequence());
      n.put("stage", o.stage().name());
      n.put("detail", o.detail());
    }
    out.put("lost", recorder.lost());
    return out;
  }
}
