package io.weft.diagnostics.probe;

import io.weft.dataplane.table.IpAddress;
import io.weft.diagnostics.AgentCommand;
import io.weft.diagnostics.AgentCommand.CommandState;
import io.weft.diagnostics.AgentCommands;
import io.weft.diagnostics.LiveProbes;
import io.weft.diagnostics.ProbeAnswer;
import io.weft.diagnostics.ProbeRequest;
import io.weft.diagnostics.TooManyProbesException;
import io.weft.diagnostics.trace.FabricFacts;
import io.weft.diagnostics.trace.FabricFacts.VnicFacts;
import io.weft.diagnostics.trace.TracedPacket;
import io.weft.fabric.Caller;
import io.weft.fabric.FabricException;
import io.weft.fabric.HostId;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.NotFoundException;
import io.weft.fabric.SecurityAuditLog;
import io.weft.fabric.VmState;
import io.weft.fabric.VnicId;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Starts live probes and answers for them. A probe is a row plus two agent commands: a watch on the
 * destination's host (sent first, so it is in place when the packets arrive) and the injection on
 * the source's host. Tenants probe only from their own vNICs; probes are counted per tenant and per
 * source host over the last minute; every call is audited.
 */
@Service
class ProbeService implements LiveProbes {

  static final String ACTION = "diagnostics.probe";

  /** A default ping's IP packet size: 20 + 8 + 56 bytes. */
  static final int DEFAULT_SIZE = 84;

  /** A default ping6's: 40 + 8 + 56 bytes. */
  static final int DEFAULT_SIZE_V6 = 104;

  private static final Duration WATCH_TAKEN = Duration.ofSeconds(1);
  private static final SecureRandom NONCES = new SecureRandom();

  private final FabricFacts facts;
  private final AgentCommands commands;
  private final ProbeStore store;
  private final SecurityAuditLog audit;
  private final Clock clock;
  private final int perTenantPerMinute;
  private final int perHostPerMinute;

  ProbeService(
      FabricFacts facts,
      AgentCommands commands,
      ProbeStore store,
      SecurityAuditLog audit,
      Clock clock,
      @Value("${weft.diagnostics.probes-per-tenant-per-minute:30}") int perTenantPerMinute,
      @Value("${weft.diagnostics.probes-per-host-per-minute:60}") int perHostPerMinute) {
    this.facts = facts;
    this.commands = commands;
    this.store = store;
    this.audit = audit;
    this.clock = clock;
    this.perTenantPerMinute = perTenantPerMinute;
    this.perHostPerMinute = perHostPerMinute;
  }

  @Override
  public ProbeAnswer start(Caller caller, ProbeRequest request) {
    try {
      return startChecked(caller, request);
    } catch (FabricException e) {
      audit.refused(caller, ACTION, target(request), e.getMessage());
      throw e;
    }
  }

  private ProbeAnswer startChecked(Caller caller, ProbeRequest r) {
    if (r == null) {
      throw new InvalidRequestException("a JSON body is required", "sourceVnicId");
    }
    if (r.sourceVnicId() == null || r.sourceVnicId().isBlank()) {
      throw new InvalidRequestException("sourceVnicId is required", "sourceVnicId");
    }
    VnicId vnic;
    try {
      vnic = VnicId.parse(r.sourceVnicId());
    } catch (FabricException e) {
      throw new InvalidRequestException(e.getMessage(), "sourceVnicId");
    }
    IpAddress destination = destination(r.destination());
    int count = bounded(r.count(), 1, 1, 5, "count");
    int timeoutMs = bounded(r.timeoutMs(), 2000, 200, 5000, "timeoutMs");
    int size =
        destination.v6()
            ? bounded(r.size(), DEFAULT_SIZE_V6, 64, 9000, "size")
            : bounded(r.size(), DEFAULT_SIZE, 44, 9000, "size");
    VnicFacts source =
        facts
            .vnic(vnic)
            .filter(v -> caller.isOperator() || caller.tenant().equals(Optional.of(v.tenant())))
            .orElseThrow(() -> new NotFoundException("no such vNIC", "sourceVnicId"));
    TracedPacket.requireFamilyOf(source.address(), destination);
    Instant now = clock.instant();
    Instant minuteAgo = now.minus(Duration.ofMinutes(1));
    if (store.sinceForTenant(source.tenant(), minuteAgo) >= perTenantPerMinute) {
      throw new TooManyProbesException(
          "at most " + perTenantPerMinute + " probes a minute per tenant; try again shortly");
    }
    if (source.host() != null && store.sinceForHost(source.host(), minuteAgo) >= perHostPerMinute) {
      throw new TooManyProbesException(
          "at most " + perHostPerMinute + " probes a minute from one host; try again shortly");
    }
    HostId destinationHost =
        facts.tenantVnics(source.tenant()).stream()
            .filter(v -> v.network().equals(source.network()))
            .filter(v -> destination.equals(v.address()))
            .map(VnicFacts::host)
            .filter(h -> h != null)
            .findFirst()
            .orElse(null);
    UUID id = UUID.randomUUID();
    String refusal = refusal(source);
    store.insert(
        new ProbeRow(
            id,
            source.tenant(),
            caller.username(),
            vnic,
            source.host(),
            destination.toString(),
            destinationHost,
            count,
            timeoutMs,
            null,
            null,
            refusal,
            now));
    if (refusal == null) {
      send(id, source, destination, destinationHost, count, timeoutMs, size);
    }
    audit.record(
        caller.username(), source.tenant(), ACTION, target(r), "OK", "started probe " + id);
    return get(caller, id.toString(), Duration.ZERO);
  }

  private static String refusal(VnicFacts source) {
    if (source.vmState() != VmState.RUNNING || source.host() == null) {
      return "the source VM " + source.vmName() + " is not running on any host: start it";
    }
    return null;
  }

  private void send(
      UUID id,
      VnicFacts source,
      IpAddress destination,
      HostId destinationHost,
      int count,
      int timeoutMs,
      int size) {
    String nonce = HexFormat.of().toHexDigits(NONCES.nextLong() | 1L);
    Duration commandTimeout = Duration.ofMillis(timeoutMs).plusSeconds(3);
    UUID watch = null;
    boolean watching = false;
    try {
      if (destinationHost != null && !destinationHost.equals(source.host())) {
        AgentCommand w =
            commands.send(
                destinationHost,
                "PROBE_WATCH",
                "{\"nonce\":\"%s\",\"count\":%d,\"timeoutMs\":%d}"
                    .formatted(nonce, count, timeoutMs + 500),
                commandTimeout);
        watch = w.id();
        watching = awaitTaken(w.id());
      }
      AgentCommand inject =
          commands.send(
              source.host(),
              "PROBE_INJECT",
              ("{\"nonce\":\"%s\",\"portId\":\"%s\",\"destination\":\"%s\",\"count\":%d,"
                      + "\"timeoutMs\":%d,\"settleMs\":%d,\"size\":%d}")
                  .formatted(
                      nonce, source.id(), destination, count, timeoutMs, watching ? 20 : 0, size),
              commandTimeout);
      store.commands(id, inject.id(), watch);
    } catch (FabricException e) {
      store.commands(id, null, watch);
      store.refuse(id, "the probe could not be sent: " + e.getMessage());
    }
  }

  /** Waits briefly for the destination host's agent to take its watch; false if it did not. */
  private boolean awaitTaken(UUID command) {
    long deadline = System.nanoTime() + WATCH_TAKEN.toNanos();
    while (System.nanoTime() < deadline) {
      CommandState s = commands.find(command).map(AgentCommand::state).orElse(CommandState.EXPIRED);
      if (s != CommandState.PENDING) {
        return s == CommandState.DELIVERED;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  @Override
  public ProbeAnswer get(Caller caller, String id, Duration wait) {
    UUID probe;
    try {
      probe = UUID.fromString(id == null ? "" : id.strip());
    } catch (IllegalArgumentException e) {
      throw new NotFoundException("no such probe", "id");
    }
    ProbeRow row =
        store
            .find(probe)
            .filter(p -> caller.isOperator() || caller.tenant().equals(Optional.of(p.tenant())))
            .orElseThrow(() -> new NotFoundException("no such probe", "id"));
    Instant until = clock.instant().plus(wait);
    AgentCommand inject =
        row.injectCommand() == null ? null : commands.awaitResult(row.injectCommand(), wait);
    AgentCommand watch = null;
    if (row.watchCommand() != null) {
      // The watch ends once its host sent the reply back, just before the source saw it; when
      // nothing left the source, there is nothing to wait for.
      Duration left = Duration.between(clock.instant(), until);
      Duration extra = Duration.ofMillis(500);
      boolean worthWaiting =
          inject != null && inject.finished() && !ProbeReport.settledAtSource(inject);
      watch =
          worthWaiting
              ? commands.awaitResult(row.watchCommand(), left.compareTo(extra) < 0 ? extra : left)
              : commands.find(row.watchCommand()).orElse(null);
    }
    ProbeAnswer answer = new ProbeReport(row, inject, watch, facts, caller.isOperator()).answer();
    audit.record(
        caller.username(),
        row.tenant(),
        ACTION + ".read",
        "probe " + row.id(),
        answer.state().name(),
        answer.summary());
    return answer;
  }

  private static IpAddress destination(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidRequestException("destination is required", "destination");
    }
    try {
      return IpAddress.parse(text.strip());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(
          "destination '" + text + "' is not an IPv4 or IPv6 address", "destination");
    }
  }

  private static int bounded(Integer value, int dflt, int min, int max, String field) {
    int v = value == null ? dflt : value;
    if (v < min || v > max) {
      throw new InvalidRequestException(field + " must be between " + min + " and " + max, field);
    }
    return v;
  }

  private static String target(ProbeRequest r) {
    return r == null ? "(no request)" : "vNIC " + r.sourceVnicId() + " → " + r.destination();
  }
}
