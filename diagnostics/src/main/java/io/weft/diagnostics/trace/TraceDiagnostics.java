package io.weft.diagnostics.trace;

import io.weft.diagnostics.AppliedComparison;
import io.weft.diagnostics.ConnectivityDiagnostics;
import io.weft.diagnostics.TraceAnswer;
import io.weft.diagnostics.TraceRequest;
import io.weft.diagnostics.trace.FabricFacts.VnicFacts;
import io.weft.fabric.Caller;
import io.weft.fabric.FabricException;
import io.weft.fabric.NotFoundException;
import io.weft.fabric.SecurityAuditLog;
import io.weft.fabric.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * The façade of diagnostics: validates the request, lets a tenant use only its own vNICs (another
 * tenant's vNIC is "not found", like one that does not exist), runs the trace and audits the call
 * with its one-sentence answer, refusals included.
 */
@Service
class TraceDiagnostics implements ConnectivityDiagnostics {

  static final String ACTION = "diagnostics.trace";

  private final FabricFacts facts;
  private final SecurityAuditLog audit;
  private final AppliedTableSource applied;
  private final Clock clock;
  private final Duration agentSilence;

  TraceDiagnostics(
      FabricFacts facts,
      SecurityAuditLog audit,
      AppliedTableSource applied,
      Clock clock,
      @Value("${weft.diagnostics.agent-silence:90s}") Duration agentSilence) {
    this.facts = facts;
    this.audit = audit;
    this.applied = applied;
    this.clock = clock;
    this.agentSilence = agentSilence;
  }

  @Override
  public TraceAnswer trace(Caller caller, TraceRequest request) {
    TracedPacket packet;
    try {
      packet = TracedPacket.of(request);
    } catch (FabricException e) {
      refused(caller, request, e);
      throw e;
    }
    Optional<VnicFacts> source =
        facts.vnic(packet.source()).filter(v -> caller.isOperator() || owns(caller, v.tenant()));
    if (source.isEmpty()) {
      NotFoundException e = new NotFoundException("no such vNIC", "sourceVnicId");
      refused(caller, request, e);
      throw e;
    }
    try {
      TracedPacket.requireFamilyOf(source.get().address(), packet.destination());
    } catch (FabricException e) {
      refused(caller, request, e);
      throw e;
    }
    FabricFacts call = new OneTraceFacts(facts, source.get().network());
    TraceAnswer answer =
        new PathTracer(call, clock, agentSilence).trace(packet, source.get(), caller.isOperator());
    answer =
        answer.withApplied(overApplied(call, packet, source.get(), answer, caller.isOperator()));
    audit.record(
        caller.username(), source.get().tenant(), ACTION, target(request), "OK", answer.summary());
    return answer;
  }

  /** The same trace over what the hosts on the path report they have applied. */
  private AppliedComparison overApplied(
      FabricFacts call,
      TracedPacket packet,
      VnicFacts source,
      TraceAnswer intended,
      boolean operator) {
    AppliedFacts appliedFacts = new AppliedFacts(call, applied, source.network().value());
    TraceAnswer overApplied =
        new PathTracer(appliedFacts, clock, agentSilence, "APPLIED")
            .trace(packet, source, operator);
    return AppliedComparer.compare(
        intended, overApplied, appliedFacts.views(), call, source, operator);
  }

  private static boolean owns(Caller caller, TenantId tenant) {
    return caller.tenant().equals(Optional.of(tenant));
  }

  private void refused(Caller caller, TraceRequest request, FabricException e) {
    audit.refused(caller, ACTION, target(request), e.getMessage());
  }

  private static String target(TraceRequest r) {
    return r == null
        ? "(no request)"
        : "vNIC "
            + r.sourceVnicId()
            + " → "
            + r.destination()
            + " "
            + r.protocol()
            + " "
            + r.port();
  }
}
