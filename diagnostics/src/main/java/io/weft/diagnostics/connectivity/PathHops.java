package io.weft.diagnostics.connectivity;

import io.weft.diagnostics.AppliedComparison;
import io.weft.diagnostics.ConnectivityAnswer.Hop;
import io.weft.diagnostics.ConnectivityAnswer.HopKind;
import io.weft.diagnostics.ConnectivityAnswer.HopState;
import io.weft.diagnostics.PathStep;
import io.weft.diagnostics.ProbeAnswer;
import io.weft.diagnostics.TraceAnswer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The path hop by hop: the source VM, each host in the order the trace met them, the destination
 * VM. What happened at a host comes from the live probe when it recorded anything (with its times),
 * otherwise from the trace over applied tables when it parts from the intended one (that is what
 * the hosts do), otherwise from the intended trace. Past the first hop that dropped the request,
 * hops are "not reached".
 */
final class PathHops {

  private PathHops() {}

  /** What one host did with the packet. */
  private static final class AtHost {
    final List<String> stages = new ArrayList<>();
    String dropDetail;
    boolean requestDropped;
    Instant requestAt;
    Instant replyAt;

    void stage(String stage) {
      if (!stages.contains(stage)) {
        stages.add(stage);
      }
    }
  }

  static List<Hop> of(TraceAnswer intended, AppliedComparison applied, ProbeAnswer probe) {
    boolean live = !probe.hops().isEmpty();
    Map<String, AtHost> hosts = new LinkedHashMap<>();
    for (PathStep s : intended.steps()) {
      if (s.direction() == PathStep.Direction.FORWARD && !s.stage().equals("CHECK")) {
        hosts.putIfAbsent(plain(s.host()), new AtHost());
      }
    }
    if (live) {
      fromProbe(hosts, probe);
    } else {
      boolean parted = applied != null && applied.trace() != null && !applied.agrees();
      fromTrace(hosts, parted ? applied.trace() : intended);
    }
    List<Hop> path = new ArrayList<>();
    path.add(source(intended, probe, live, hosts.isEmpty()));
    boolean requestGoesOn = true;
    for (var e : hosts.entrySet()) {
      AtHost at = e.getValue();
      HopState state;
      if (!requestGoesOn || at.stages.isEmpty()) {
        state = HopState.NOT_REACHED;
        requestGoesOn = false;
      } else if (at.dropDetail != null) {
        state = HopState.DROPPED;
        requestGoesOn = !at.requestDropped;
      } else {
        state = HopState.OK;
      }
      String detail =
          state == HopState.DROPPED
              ? at.dropDetail
              : state == HopState.OK ? String.join(" → ", at.stages) : "";
      path.add(
          new Hop(
              e.getKey(),
              HopKind.HOST,
              state,
              detail,
              at.requestAt,
              at.replyAt,
              state == HopState.NOT_REACHED ? List.of() : at.stages));
    }
    path.add(destination(intended, probe, live, requestGoesOn));
    return path;
  }

  private static void fromProbe(Map<String, AtHost> hosts, ProbeAnswer probe) {
    for (ProbeAnswer.Hop h : probe.hops()) {
      AtHost at = hosts.computeIfAbsent(plain(h.host()), k -> new AtHost());
      boolean request = h.direction().equals("REQUEST");
      at.stage((request ? "" : "reply ") + h.stage());
      if (request && at.requestAt == null) {
        at.requestAt = h.at();
      } else if (!request && at.replyAt == null) {
        at.replyAt = h.at();
      }
      if (h.dropped() && at.dropDetail == null) {
        at.dropDetail = h.detail();
        at.requestDropped = request;
      }
    }
  }

  private static void fromTrace(Map<String, AtHost> hosts, TraceAnswer trace) {
    for (PathStep s : trace.steps()) {
      if (s.stage().equals("CHECK")) {
        continue;
      }
      AtHost at = hosts.computeIfAbsent(plain(s.host()), k -> new AtHost());
      boolean request = s.direction() == PathStep.Direction.FORWARD;
      at.stage((request ? "" : "reply ") + s.stage());
      if (s.dropped() && at.dropDetail == null) {
        at.dropDetail = s.detail();
        at.requestDropped = request;
      }
    }
  }

  private static Hop source(TraceAnswer intended, ProbeAnswer probe, boolean live, boolean noHost) {
    Instant repliedAt = null;
    for (ProbeAnswer.Hop h : probe.hops()) {
      if (h.direction().equals("REPLY") && h.stage().equals("DELIVER") && repliedAt == null) {
        repliedAt = h.at();
      }
    }
    boolean notSent = probe.state() == ProbeAnswer.State.DONE && !live && noHost;
    return new Hop(
        intended.source(),
        HopKind.VM,
        notSent ? HopState.DROPPED : HopState.OK,
        notSent ? probe.summary() : live ? "sent " + probe.sent() + " echo(es)" : "",
        probe.hops().isEmpty() ? null : probe.hops().getFirst().at(),
        repliedAt,
        List.of());
  }

  private static Hop destination(
      TraceAnswer intended, ProbeAnswer probe, boolean live, boolean requestGoesOn) {
    boolean delivered;
    boolean replied;
    Instant deliveredAt = null;
    Instant replyAt = null;
    if (live) {
      for (ProbeAnswer.Hop h : probe.hops()) {
        if (h.direction().equals("REQUEST") && h.stage().equals("DELIVER") && deliveredAt == null) {
          deliveredAt = h.at();
        }
        if (h.direction().equals("REPLY") && replyAt == null) {
          replyAt = h.at();
        }
      }
      delivered = deliveredAt != null;
      replied = probe.reached() || replyAt != null;
    } else {
      delivered = delivers(intended, PathStep.Direction.FORWARD);
      replied = delivers(intended, PathStep.Direction.RETURN);
    }
    HopState state =
        !requestGoesOn || !delivered
            ? HopState.NOT_REACHED
            : replied ? HopState.OK : HopState.DROPPED;
    String detail =
        switch (state) {
          case OK -> live ? "answered" : "delivered and answered on the tables";
          case DROPPED -> "delivered, but no reply came back";
          case NOT_REACHED -> "";
        };
    return new Hop(
        intended.destination(), HopKind.VM, state, detail, deliveredAt, replyAt, List.of());
  }

  private static boolean delivers(TraceAnswer trace, PathStep.Direction direction) {
    return trace.steps().stream()
        .anyMatch(
            s -> s.direction() == direction && s.stage().equals("DELIVER") && !s.resolvesNextHop());
  }

  /** The trace says "the source host" to tenants, the probe "source host": one name for both. */
  private static String plain(String host) {
    return host.startsWith("the source host") || host.startsWith("the destination host")
        ? host.substring(4)
        : host;
  }
}
