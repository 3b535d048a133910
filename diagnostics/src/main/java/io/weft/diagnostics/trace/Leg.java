package io.weft.diagnostics.trace;

import io.weft.dataplane.pipeline.PacketTracer;
import io.weft.dataplane.pipeline.PacketTracer.Emitted;
import io.weft.dataplane.pipeline.PacketTracer.TraceReport;
import io.weft.dataplane.pipeline.TraceStage;
import io.weft.dataplane.pipeline.TraceStep;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.PortEntry;
import io.weft.dataplane.table.VmNetworkTable;
import io.weft.dataplane.table.VmSubnet;
import io.weft.diagnostics.trace.FabricFacts.HostFacts;
import io.weft.diagnostics.trace.TracedPacket.Protocol;
import io.weft.fabric.VmNetworkId;

/**
 * One direction of a trace: from a vNIC on its host, ARP (IPv4) or a neighbour solicitation (IPv6)
 * for the next hop, the packet through the source host's switch and, when it is encapsulated,
 * through the switch of the host with the destination PA. Every decision lands in the {@link
 * TraceRun}; the outcome says how it ended.
 */
final class Leg {

  /** Where a leg starts: a vNIC's port on a host, sending from {@code srcIp}. */
  record Start(HostFacts host, String label, HostTable table, PortEntry port, IpAddress srcIp) {}

  /** How a leg ended. */
  sealed interface Outcome {}

  /** Delivered to {@code portId} on {@code host}. */
  record Delivered(HostFacts host, String label, HostTable table, String portId)
      implements Outcome {}

  /** The distributed gateway on the source host answered. */
  record AnsweredByGateway() implements Outcome {}

  /** No lookup record (or subnet) for the destination in the source's VM network. */
  record NoRecord(String detail) implements Outcome {}

  /** Port security refused the source address. */
  record Spoofed(String detail) implements Outcome {}

  /** The packet is larger than the overlay MTU. */
  record TooBig(int overlayMtu) implements Outcome {}

  /** Dropped for another reason; {@code where} is the host's label. */
  record Dropped(String where, String detail) implements Outcome {}

  private final TraceRun run;
  private final FabricFacts facts;
  private final HostChecks checks;

  Leg(TraceRun run, FabricFacts facts, HostChecks checks) {
    this.run = run;
    this.facts = facts;
    this.checks = checks;
  }

  Outcome run(Start s, IpAddress dst, TracedPacket packet, boolean reply, String farRole) {
    HostTable t = s.table();
    PortEntry port = s.port();
    VmNetworkTable network = TableEntries.networkOfPort(t, port.portId()).orElseThrow();
    VmSubnet subnet = TableEntries.subnet(network, port.vsid()).orElseThrow();
    IpAddress nextHop = subnet.prefix().contains(dst) ? dst : subnet.gateway();
    IpAddress src = s.srcIp();
    byte[] ask = Frames.resolve(port.mac().value(), src, nextHop);
    TraceReport resolved = PacketTracer.trace(t, port.portId(), ask);
    String asked = (nextHop.v6() ? "neighbour solicitation for " : "ARP for ") + nextHop + ": ";
    record(s.label(), t, network, port.portId(), nextHop, resolved, asked);
    if (resolved.dropped() || resolved.emitted().isEmpty()) {
      return dropOutcome(s.label(), t, resolved);
    }
    long mac = Frames.resolvedMac(resolved.emitted().getFirst().bytes());
    Protocol protocol = packet.protocol();
    byte[] frame =
        Frames.packet(
            protocol, reply, mac, port.mac().value(), src, dst, packet.port(), packet.size());
    TraceReport sent = PacketTracer.trace(t, port.portId(), frame);
    record(s.label(), t, network, port.portId(), dst, sent, "");
    if (sent.dropped() || sent.emitted().isEmpty()) {
      return dropOutcome(s.label(), t, sent);
    }
    Emitted out = sent.emitted().getFirst();
    if (!out.toUnderlay()) {
      if (out.portId().equals(port.portId())) {
        return new AnsweredByGateway();
      }
      return new Delivered(s.host(), s.label(), t, out.portId());
    }
    HostFacts far = facts.hostByPa(out.pa()).orElse(null);
    if (far == null) {
      return new Dropped(
          s.label(), "the packet is sent to PA " + out.pa() + ", which belongs to no host");
    }
    String label = run.label(far, farRole);
    checks.check(run, far, label);
    HostTable farTable = facts.intendedTable(far.id(), new VmNetworkId(network.routingDomainId()));
    TraceReport arrived = PacketTracer.traceUnderlay(farTable, out.bytes());
    record(label, farTable, null, null, dst, arrived, "");
    if (arrived.dropped() || arrived.emitted().isEmpty()) {
      return new Dropped(label, dropDetail(arrived));
    }
    return new Delivered(far, label, farTable, arrived.emitted().getFirst().portId());
  }

  private Outcome dropOutcome(String label, HostTable t, TraceReport report) {
    String detail = dropDetail(report);
    if (detail.startsWith("SPOOFED_SOURCE")) {
      return new Spoofed(detail);
    }
    if (detail.startsWith("TOO_BIG") || detail.contains("exceeds the overlay MTU")) {
      return new TooBig(t.overlayMtu());
    }
    if (detail.startsWith("NO_ROUTE")) {
      return new NoRecord(detail);
    }
    return new Dropped(label, detail);
  }

  private static String dropDetail(TraceReport report) {
    return report.steps().stream()
        .filter(x -> x.stage() == TraceStage.DROP)
        .map(TraceStep::detail)
        .findFirst()
        .orElse("nothing left the host");
  }

  private void record(
      String label,
      HostTable t,
      VmNetworkTable network,
      String portId,
      IpAddress target,
      TraceReport report,
      String prefix) {
    for (TraceStep step : report.steps()) {
      run.step(
          label,
          step.stage().name(),
          prefix + step.detail(),
          StepEntries.decidedBy(t, network, portId, target, step),
          step.stage() == TraceStage.DROP);
    }
  }
}
