package io.weft.diagnostics.trace;

import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.PortEntry;
import io.weft.dataplane.table.VmNetworkTable;
import io.weft.diagnostics.PathStep.Direction;
import io.weft.diagnostics.TraceAnswer;
import io.weft.diagnostics.trace.FabricFacts.HostFacts;
import io.weft.diagnostics.trace.FabricFacts.VnicFacts;
import io.weft.fabric.Addressing;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Chains the hops of a trace over the fabric's intended tables: the source host's switch, the
 * destination host's switch, and the same back. Past a blocker it continues as if it were fixed (a
 * spoofed source is retried with the vNIC's own address, an oversized packet at the overlay MTU, a
 * stale or down host with its intended table) and says so; it stops only where nothing is left to
 * trace (no destination).
 */
public final class PathTracer {

  private final FabricFacts facts;
  private final HostChecks checks;
  private final DestinationDiagnosis destinations;
  private final String tables;

  public PathTracer(FabricFacts facts, Clock clock, Duration agentSilence) {
    this(facts, clock, agentSilence, "INTENDED");
  }

  /**
   * @param tables what {@code facts.intendedTable} returns: INTENDED (the fabric's) or APPLIED
   *     (what the hosts report they forward with)
   */
  public PathTracer(FabricFacts facts, Clock clock, Duration agentSilence, String tables) {
    this.tables = tables;
    this.facts = facts;
    this.checks = new HostChecks(clock, agentSilence);
    this.destinations = new DestinationDiagnosis(facts);
  }

  public TraceAnswer trace(TracedPacket packet, VnicFacts src, boolean operator) {
    TraceRun run = new TraceRun(operator);
    String source =
        "VM " + src.vmName() + " (" + (src.address() == null ? "no address" : src.address()) + ")";
    Answer answer = new Answer(run, source, packet, tables);
    if (src.host() == null) {
      run.block(
          "VM " + src.vmName(),
          "the source VM " + src.vmName() + " is stopped (" + src.vmState() + ": on no host)",
          "start it: it is placed and started as soon as a ready host has room (add a host or"
              + " free VM slots)",
          false);
      return answer.done(false, null);
    }
    HostFacts host = facts.host(src.host()).orElseThrow();
    String label = run.label(host, TraceRun.SOURCE_HOST);
    checks.check(run, host, label);
    HostTable table = facts.intendedTable(host.id(), src.network());
    PortEntry port = TableEntries.port(table, src.id().toString()).orElse(null);
    if (port == null) {
      run.block(
          label, "the vNIC is not in " + label + "'s table", "report this: it is a bug", false);
      return answer.done(false, null);
    }
    IpAddress srcIp = packet.sourceOverride() != null ? packet.sourceOverride() : src.address();
    if (srcIp == null) {
      noAddress(run, src);
      return answer.done(false, null);
    }
    Leg leg = new Leg(run, facts, checks);
    TracedPacket sent = packet;
    Leg.Start start = new Leg.Start(host, label, table, port, srcIp);
    Leg.Outcome out = leg.run(start, packet.destination(), sent, false, TraceRun.DESTINATION_HOST);
    if (out instanceof Leg.Spoofed && src.address() != null && !src.address().equals(srcIp)) {
      run.block(
          label,
          "dropped on "
              + label
              + ": port security lets the vNIC send only from "
              + src.address()
              + ", not "
              + srcIp,
          "configure the VM with its own address " + src.address() + " (continuing as if it did)",
          true);
      srcIp = src.address();
      start = new Leg.Start(host, label, table, port, srcIp);
      out = leg.run(start, packet.destination(), sent, false, TraceRun.DESTINATION_HOST);
    }
    if (out instanceof Leg.TooBig big) {
      run.block(
          label,
          "dropped on "
              + label
              + ": a "
              + packet.size()
              + "-byte packet exceeds the overlay MTU "
              + big.overlayMtu()
              + " (the underlay MTU minus the "
              + table.encapsulation()
              + " encapsulation overhead)",
          "send packets of at most "
              + big.overlayMtu()
              + " bytes ("
              + (packet.destination().v6()
                  ? "the gateway answers an IPv6 VM 'packet too big' with MTU "
                  : "DHCP offers VMs MTU ")
              + big.overlayMtu()
              + "), or raise the logical network's MTU by "
              + (packet.size() - big.overlayMtu())
              + " bytes (continuing as if)",
          true);
      sent = packet.withSize(big.overlayMtu());
      out = leg.run(start, packet.destination(), sent, false, TraceRun.DESTINATION_HOST);
    }
    VmNetworkTable network = TableEntries.networkOfPort(table, port.portId()).orElseThrow();
    switch (out) {
      case Leg.AnsweredByGateway g -> {
        run.check(label, "the distributed gateway answered on " + label, "gateway of the subnet");
        return answer.done(true, "the VM network's gateway");
      }
      case Leg.NoRecord n -> {
        destinations.explain(run, src, packet.destination(), label, network);
        return answer.done(false, null);
      }
      case Leg.Delivered d -> {
        return returnLeg(run, answer, leg, src, srcIp, d, sent);
      }
      case Leg.Dropped d -> {
        run.block(
            d.where(), "dropped on " + d.where() + ": " + d.detail(), fixFor(d.detail()), false);
        return answer.done(false, null);
      }
      case Leg.Spoofed s -> {
        run.block(
            label,
            "dropped on " + label + ": " + s.detail(),
            "report this: port security refused the vNIC's own address",
            false);
        return answer.done(false, null);
      }
      case Leg.TooBig t -> {
        return answer.done(false, null);
      }
    }
  }

  private TraceAnswer returnLeg(
      TraceRun run,
      Answer answer,
      Leg leg,
      VnicFacts src,
      IpAddress srcIp,
      Leg.Delivered there,
      TracedPacket sent) {
    Optional<VnicFacts> dest = facts.vnic(io.weft.fabric.VnicId.parse(there.portId()));
    String destName = dest.map(v -> "VM " + v.vmName()).orElse("port " + there.portId());
    dest.ifPresent(v ->
        facts
            .migrationsInFlight(v.vmId())
            .forEach(m ->
                run.note(
                    "VM "
                        + v.vmName()
                        + " is being live-migrated"
                        // Tenants never see host names: the hosts may not be on the path.
                        + (run.operator ? " from " + m.fromHost() + " to " + m.toHost() : "")
                        + " ("
                        + m.phase()
                        + "); traffic follows the lookup records as each host"
                        + " applies them")));
    PortEntry port = TableEntries.port(there.table(), there.portId()).orElseThrow();
    run.direction = Direction.RETURN;
    Leg.Start back =
        new Leg.Start(there.host(), there.label(), there.table(), port, sent.destination());
    Leg.Outcome out = leg.run(back, srcIp, sent, true, TraceRun.SOURCE_HOST);
    String reached = destName + " (" + sent.destination() + ")";
    if (out instanceof Leg.Delivered d && d.portId().equals(src.id().toString())) {
      return answer.done(true, reached);
    }
    String detail =
        switch (out) {
          case Leg.Dropped d -> d.detail();
          case Leg.NoRecord n -> n.detail();
          case Leg.Spoofed s -> s.detail();
          case Leg.TooBig t -> "the reply exceeds the overlay MTU " + t.overlayMtu();
          case Leg.Delivered d ->
              "the reply is delivered to port " + d.portId() + ", not the source";
          case Leg.AnsweredByGateway g -> "the reply is answered by the gateway";
        };
    String where = out instanceof Leg.Dropped d ? d.where() : there.label();
    run.block(where, "the reply is dropped on " + where + ": " + detail, fixFor(detail), false);
    return answer.done(false, reached);
  }

  private void noAddress(TraceRun run, VnicFacts src) {
    if (src.addressing() != Addressing.DHCP) {
      run.block("VM " + src.vmName(), "the vNIC has no address", "give the vNIC an address", false);
      return;
    }
    var subnet = facts.subnet(src.tenant(), src.subnet());
    run.block(
        "VM " + src.vmName(),
        "the vNIC of VM " + src.vmName() + " has no address yet: DHCP has not completed",
        subnet.hasDhcpRange()
            ? "check that the VM runs a DHCP client; its host answers from the ranges of subnet "
                + subnet.name()
            : "add a DHCP range to subnet " + subnet.name() + " (" + subnet.cidr() + ")",
        false);
  }

  private static String fixFor(String detail) {
    if (detail.startsWith("NOT_LOCAL") || detail.startsWith("UNKNOWN_VSID")) {
      return "the lookup record points at a host that does not have the vNIC (a live migration in"
          + " flight, or a host behind the fabric): wait for the hosts to apply their tables";
    }
    if (detail.startsWith("TTL_EXPIRED")) {
      return "send with a larger TTL";
    }
    return "see the step that dropped it";
  }
}
