package io.weft.diagnostics.capture;

import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.TableJson;
import io.weft.diagnostics.AgentCommand;
import io.weft.diagnostics.AgentCommands;
import io.weft.diagnostics.CaptureRequest;
import io.weft.diagnostics.CaptureStatus;
import io.weft.diagnostics.PacketCaptures;
import io.weft.fabric.Caller;
import io.weft.fabric.ConflictException;
import io.weft.fabric.FabricException;
import io.weft.fabric.Host;
import io.weft.fabric.HostId;
import io.weft.fabric.HostService;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.NotFoundException;
import io.weft.fabric.SecurityAuditLog;
import io.weft.fabric.TenantId;
import io.weft.fabric.Vm;
import io.weft.fabric.VmService;
import io.weft.fabric.VnicId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@link PacketCaptures}: the façade that checks, limits, starts, finishes and serves captures. */
@Service
class CaptureService implements PacketCaptures {

  static final String ACTION = "diagnostics.capture";
  static final String KIND = "CAPTURE";
  private static final Logger LOG = LoggerFactory.getLogger(CaptureService.class);
  private static final Caller SYSTEM = Caller.system("diagnostics.capture");

  /** Time the agent gets beyond the capture itself to answer. */
  private static final Duration ANSWER_TIME = Duration.ofSeconds(20);

  private final CaptureStore store;
  private final AgentCommands commands;
  private final VmService vms;
  private final HostService hosts;
  private final SecurityAuditLog audit;
  private final Clock clock;
  private final CaptureLimits limits;

  CaptureService(
      CaptureStore store,
      AgentCommands commands,
      VmService vms,
      HostService hosts,
      SecurityAuditLog audit,
      Clock clock,
      CaptureLimits limits) {
    this.store = store;
    this.commands = commands;
    this.vms = vms;
    this.hosts = hosts;
    this.audit = audit;
    this.clock = clock;
    this.limits = limits;
  }

  /** What was asked for, checked. */
  private record Plan(
      UUID tenant,
      HostId host,
      UUID vnic,
      String target,
      int packets,
      int seconds,
      int bytes,
      ObjectNode filter,
      String filterText) {}

  @Override
  public CaptureStatus start(Caller caller, CaptureRequest request) {
    Plan plan;
    try {
      plan = plan(caller, request);
    } catch (FabricException e) {
      refused(caller, request == null ? "(no request)" : describe(request), e);
      throw e;
    }
    Instant now = clock.instant();
    UUID id = UUID.randomUUID();
    store.insert(
        new CaptureStore.NewCapture(
            id,
            plan.tenant(),
            caller.username(),
            plan.host().value(),
            plan.vnic(),
            plan.target(),
            plan.filterText(),
            plan.packets(),
            plan.seconds(),
            plan.bytes(),
            now));
    ObjectNode payload = TableJson.mapper().createObjectNode();
    payload.put("target", plan.vnic() == null ? "UNDERLAY" : "PORT");
    if (plan.vnic() != null) {
      payload.put("portId", plan.vnic().toString());
    }
    payload.put("packets", plan.packets());
    payload.put("seconds", plan.seconds());
    payload.put("bytes", plan.bytes());
    payload.set("filter", plan.filter());
    AgentCommand command;
    try {
      command =
          commands.send(
              plan.host(),
              KIND,
              payload.toString(),
              Duration.ofSeconds(plan.seconds()).plus(ANSWER_TIME));
    } catch (FabricException e) {
      store.failed(id, "the host's agent could not be asked: " + e.getMessage(), clock.instant());
      refused(caller, plan.target(), e);
      throw e;
    }
    store.commandSent(id, command.id());
    Thread.ofVirtual().name("weft-capture-" + id).start(() -> awaitAndFinish(id, command.id()));
    audit.record(
        caller.username(),
        plan.tenant() == null ? null : new TenantId(plan.tenant()),
        ACTION,
        plan.target(),
        "OK",
        "started "
            + id
            + ": "
            + plan.packets()
            + " packets, "
            + plan.seconds()
            + " s, "
            + plan.bytes()
            + " bytes, "
            + plan.filterText());
    return store.find(id).orElseThrow().status();
  }

  private void awaitAndFinish(UUID id, UUID command) {
    try {
      AgentCommand c = commands.awaitResult(command, AgentCommands.MAX_TIMEOUT);
      finish(id, c);
    } catch (RuntimeException e) {
      LOG.warn("capture {}: {}", id, e.toString());
    }
  }

  /** Stores what the agent answered; a no-op once another replica (or call) did. */
  private void finish(UUID id, AgentCommand c) {
    Instant now = clock.instant();
    switch (c.state()) {
      case SUCCEEDED -> {
        try {
          JsonNode result = TableJson.mapper().readTree(c.result());
          byte[] pcap = Base64.getDecoder().decode(result.path("pcap").asString(""));
          CaptureStatus asked = store.find(id).orElseThrow().status();
          if (pcap.length > asked.maxBytes()
              || result.path("packets").asInt() > asked.maxPackets()) {
            store.failed(id, "the agent answered beyond the capture's bounds", now);
          } else {
            store.done(
                id,
                pcap,
                result.path("packets").asInt(),
                result.path("stoppedBy").asString(null),
                now);
          }
        } catch (RuntimeException e) {
          store.failed(id, "the agent's answer was not a capture: " + e.getMessage(), now);
        }
      }
      case FAILED -> store.failed(id, c.error(), now);
      case EXPIRED ->
          store.failed(id, "the host's agent did not answer in time (is it running?)", now);
      default -> {}
    }
  }

  private Plan plan(Caller caller, CaptureRequest r) {
    if (r == null) {
      throw new InvalidRequestException("a capture request is required", "vnicId");
    }
    int packets = bound(r.packets(), "packets", 1, limits.maxPackets());
    int seconds = bound(r.seconds(), "seconds", 1, limits.maxSeconds());
    int bytes = bound(r.bytes(), "bytes", 1024, limits.maxBytes());
    boolean onVnic = r.vnicId() != null && !r.vnicId().isBlank();
    boolean onHost = r.hostId() != null && !r.hostId().isBlank();
    if (onVnic == onHost) {
      throw new InvalidRequestException(
          "name either a vNIC (vnicId) or, operators, a host's underlay (hostId)", "vnicId");
    }
    ObjectNode filter = TableJson.mapper().createObjectNode();
    StringBuilder text = new StringBuilder();
    if (r.vsid() != null) {
      if (r.vsid() < 4096 || r.vsid() > 16_777_214) {
        throw new InvalidRequestException("vsid must be between 4096 and 16777214", "vsid");
      }
      filter.put("vsid", r.vsid());
      text.append("VSID ").append(r.vsid()).append(' ');
    }
    IpAddress a = null;
    if (r.address() != null && !r.address().isBlank()) {
      try {
        a = IpAddress.parse(r.address().strip());
      } catch (RuntimeException e) {
        throw new InvalidRequestException(
            "address must be an IPv4 or IPv6 address, got '" + r.address().strip() + "'",
            "address");
      }
      filter.put("address", a.toString());
      text.append("address ").append(a).append(' ');
    }
    if (r.protocol() != null && !r.protocol().isBlank()) {
      String name = r.protocol().strip().toUpperCase(java.util.Locale.ROOT);
      // ICMP with an IPv6 address means ICMPv6: the only ICMP an IPv6 packet carries.
      boolean v6 = a != null && a.v6();
      int number =
          switch (name) {
            case "ICMP" -> v6 ? 58 : 1;
            case "ICMPV6" -> 58;
            case "TCP" -> 6;
            case "UDP" -> 17;
            default ->
                throw new InvalidRequestException(
                    "protocol must be ICMP, ICMPv6, TCP or UDP", "protocol");
          };
      filter.put("protocol", number);
      text.append(number == 58 ? "ICMPv6" : name).append(' ');
    }
    String filterText = text.isEmpty() ? "all packets" : text.toString().strip();
    HostId host;
    UUID vnic = null;
    UUID tenant = null;
    String target;
    if (onHost) {
      if (!caller.isOperator()) {
        throw new NotFoundException("no such host", "hostId"); // tenants see no hosts
      }
      Host h;
      try {
        h = hosts.getHost(SYSTEM, HostId.parse(r.hostId()));
      } catch (NotFoundException e) {
        throw new NotFoundException("no such host", "hostId");
      }
      host = h.id();
      target = "underlay of " + h.name();
    } else {
      VnicId id;
      try {
        id = VnicId.parse(r.vnicId());
      } catch (FabricException e) {
        throw new InvalidRequestException("'" + r.vnicId() + "' is not a valid id", "vnicId");
      }
      Optional<Vm> vm =
          vms.findVmsByVnic(SYSTEM, List.of(id)).stream()
              .filter(v -> caller.isOperator() || caller.tenant().equals(Optional.of(v.tenantId())))
              .findFirst();
      if (vm.isEmpty()) {
        throw new NotFoundException("no such vNIC", "vnicId");
      }
      if (r.vsid() != null) {
        throw new InvalidRequestException(
            "a vNIC has one VSID: filter by vsid on a host's underlay only", "vsid");
      }
      host =
          vm.get()
              .placement()
              .orElseThrow(
                  () -> new ConflictException("the VM is not placed on a host yet", "vnicId"))
              .hostId();
      vnic = id.value();
      tenant = vm.get().tenantId().value();
      target = "vNIC " + id + " of VM " + vm.get().name();
    }
    if (store.running(host.value()) >= limits.perHost()) {
      throw new ConflictException(
          "the host already runs " + limits.perHost() + " captures at once; wait for one to finish",
          onHost ? "hostId" : "vnicId");
    }
    return new Plan(tenant, host, vnic, target, packets, seconds, bytes, filter, filterText);
  }

  private static int bound(Integer value, String field, int min, int max) {
    if (value == null) {
      throw new InvalidRequestException(
          field + " is required: a capture needs every bound (at most " + max + ")", field);
    }
    if (value < min || value > max) {
      throw new InvalidRequestException(field + " must be between " + min + " and " + max, field);
    }
    return value;
  }

  @Override
  public CaptureStatus status(Caller caller, UUID id) {
    CaptureStore.Row row = visible(caller, id);
    if (row.status().state().equals("RUNNING") && row.command() != null) {
      commands.find(row.command()).filter(AgentCommand::finished).ifPresent(c -> finish(id, c));
      row = store.find(id).orElseThrow();
    }
    return row.status();
  }

  @Override
  public List<CaptureStatus> list(Caller caller, int limit) {
    if (limit < 1 || limit > 1000) {
      throw new InvalidRequestException("limit must be between 1 and 1000", "limit");
    }
    UUID tenant = caller.isOperator() ? null : caller.tenant().orElseThrow().value();
    return store.newest(tenant, limit).stream().map(CaptureStore.Row::status).toList();
  }

  @Override
  public byte[] pcap(Caller caller, UUID id) {
    CaptureStatus s = status(caller, id);
    if (!s.state().equals("DONE")) {
      throw new ConflictException(
          s.state().equals("RUNNING")
              ? "the capture is still running"
              : "the capture failed: " + s.error(),
          "id");
    }
    byte[] pcap = store.pcap(id);
    CaptureStore.Row row = store.find(id).orElseThrow();
    audit.record(
        caller.username(),
        row.tenant() == null ? null : new TenantId(row.tenant()),
        ACTION,
        s.target(),
        "OK",
        "downloaded " + id + " (" + pcap.length + " bytes)");
    return pcap;
  }

  /** The capture if the caller may see it: its tenant's users and operators; else not found. */
  private CaptureStore.Row visible(Caller caller, UUID id) {
    Optional<CaptureStore.Row> row = store.find(id);
    boolean allowed =
        row.isPresent()
            && (caller.isOperator()
                || (row.get().tenant() != null
                    && caller
                        .tenant()
                        .map(t -> t.value().equals(row.get().tenant()))
                        .orElse(false)));
    if (!allowed) {
      audit.refused(caller, ACTION, "capture " + id, "no such capture");
      throw new NotFoundException("no such capture", "id");
    }
    return row.get();
  }

  private void refused(Caller caller, String target, FabricException e) {
    audit.refused(caller, ACTION, target, e.getMessage());
  }

  private static String describe(CaptureRequest r) {
    return r.vnicId() != null ? "vNIC " + r.vnicId() : "host " + r.hostId();
  }
}
