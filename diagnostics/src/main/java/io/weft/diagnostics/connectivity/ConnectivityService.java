package io.weft.diagnostics.connectivity;

import io.weft.diagnostics.ConnectivityAnswer;
import io.weft.diagnostics.ConnectivityCheck;
import io.weft.diagnostics.ConnectivityDiagnostics;
import io.weft.diagnostics.ConnectivityRequest;
import io.weft.diagnostics.LiveProbes;
import io.weft.diagnostics.ProbeAnswer;
import io.weft.diagnostics.TraceAnswer;
import io.weft.diagnostics.trace.FabricFacts;
import io.weft.diagnostics.trace.FabricFacts.VnicFacts;
import io.weft.diagnostics.trace.TracedPacket;
import io.weft.fabric.Caller;
import io.weft.fabric.FabricException;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.NotFoundException;
import io.weft.fabric.SecurityAuditLog;
import io.weft.fabric.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Asks the one question through the public services: the packet is checked first (400 names the
 * field before anything is sent), then the live probe is started (it decides "not found" and the
 * rate limit, and runs on the agents while the traces are taken here), then the trace with its
 * applied comparison; the answer waits for the probe as long as asked. Every call is audited with
 * its sentence, refusals included.
 */
@Service
class ConnectivityService implements ConnectivityCheck {

  static final String ACTION = "diagnostics.connectivity";

  /** Longest a call may wait for its live probe. */
  static final int MAX_WAIT_SECONDS = 30;

  private static final int DEFAULT_WAIT_SECONDS = 10;

  private final ConnectivityDiagnostics traces;
  private final LiveProbes probes;
  private final FabricFacts facts;
  private final CheckStore store;
  private final SecurityAuditLog audit;
  private final Clock clock;

  ConnectivityService(
      ConnectivityDiagnostics traces,
      LiveProbes probes,
      FabricFacts facts,
      CheckStore store,
      SecurityAuditLog audit,
      Clock clock) {
    this.traces = traces;
    this.probes = probes;
    this.facts = facts;
    this.store = store;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public ConnectivityAnswer check(Caller caller, ConnectivityRequest request) {
    try {
      return checkValid(caller, request);
    } catch (FabricException e) {
      audit.refused(caller, ACTION, target(request), e.getMessage());
      throw e;
    }
  }

  private ConnectivityAnswer checkValid(Caller caller, ConnectivityRequest request) {
    if (request == null) {
      throw new InvalidRequestException("a JSON body is required", "sourceVnicId");
    }
    TracedPacket packet = TracedPacket.of(request.trace());
    Duration wait = waitOf(request.waitSeconds());
    ProbeAnswer started = probes.start(caller, request.probe());
    TraceAnswer traced = traces.trace(caller, request.trace());
    TenantId tenant =
        facts
            .vnic(packet.source())
            .map(VnicFacts::tenant)
            .orElseThrow(() -> new NotFoundException("no such vNIC", "sourceVnicId"));
    CheckRow row =
        new CheckRow(
            UUID.randomUUID(),
            tenant,
            caller.username(),
            UUID.fromString(started.id()),
            packet.protocol() == TracedPacket.Protocol.ICMP,
            caller.isOperator(),
            traced,
            clock.instant());
    store.insert(row);
    ProbeAnswer probe = wait.isZero() ? started : probes.get(caller, started.id(), wait);
    ConnectivityAnswer answer = answer(row, probe);
    audit.record(caller.username(), tenant, ACTION, target(request), "OK", answer.sentence());
    return answer;
  }

  @Override
  public ConnectivityAnswer get(Caller caller, String id, Duration wait) {
    UUID check;
    try {
      check = UUID.fromString(id == null ? "" : id.strip());
    } catch (IllegalArgumentException e) {
      throw new NotFoundException("no such connectivity check", "id");
    }
    CheckRow row =
        store
            .find(check)
            .filter(c -> caller.isOperator() || (!c.operatorView() && owns(caller, c.tenant())))
            .orElseThrow(() -> new NotFoundException("no such connectivity check", "id"));
    ConnectivityAnswer answer = answer(row, probes.get(caller, row.probe().toString(), wait));
    audit.record(
        caller.username(),
        row.tenant(),
        ACTION + ".read",
        "check " + row.id(),
        answer.state().name(),
        answer.sentence());
    return answer;
  }

  private static ConnectivityAnswer answer(CheckRow row, ProbeAnswer probe) {
    TraceAnswer intended = row.trace().withApplied(null);
    var applied = row.trace().applied();
    List<String> notes = new ArrayList<>();
    if (!row.icmp()) {
      notes.add(
          "The live probe sends ICMP echoes: "
              + intended.packet()
              + " was checked by the traces only.");
    }
    intended.notes().forEach(notes::add);
    probe.notes().forEach(notes::add);
    return new ConnectivityAnswer(
        row.id().toString(),
        probe.state(),
        OneSentence.of(intended, applied, probe, row.icmp()),
        OneSentence.works(intended, applied, probe),
        intended.source(),
        intended.destination(),
        intended.packet(),
        PathHops.of(intended, applied, probe),
        intended,
        applied,
        probe,
        notes,
        row.createdAt());
  }

  private static boolean owns(Caller caller, TenantId tenant) {
    return caller.tenant().equals(Optional.of(tenant));
  }

  private static Duration waitOf(Integer seconds) {
    int s = seconds == null ? DEFAULT_WAIT_SECONDS : seconds;
    if (s < 0 || s > MAX_WAIT_SECONDS) {
      throw new InvalidRequestException(
          "waitSeconds must be between 0 and " + MAX_WAIT_SECONDS, "waitSeconds");
    }
    return Duration.ofSeconds(s);
  }

  private static String target(ConnectivityRequest r) {
    return r == null
        ? "(no request)"
        : "vNIC "
            + r.sourceVnicId()
            + " → "
            + r.destination()
            + " "
            + (r.protocol() == null ? "ICMP" : r.protocol())
            + (r.port() == null ? "" : " " + r.port());
  }
}
