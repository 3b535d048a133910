package io.weft.dataplane.pipeline;

import io.weft.dataplane.codec.Arp;
import io.weft.dataplane.codec.ParsedFrame;
import io.weft.dataplane.pipeline.internal.CompiledTable;
import io.weft.dataplane.pipeline.internal.DhcpResponder;
import io.weft.dataplane.pipeline.internal.LocalResponder;
import io.weft.dataplane.pipeline.internal.MtuResponder;
import io.weft.dataplane.pipeline.internal.PortState;
import java.util.function.LongSupplier;

/**
 * What the switch answers itself on behalf of the network, so nothing is flooded: ARP and neighbour
 * solicitations from the table, pings to the gateway, DHCP, and "too big" for a packet the overlay
 * cannot carry. Every reply is written into one reused buffer and delivered back to the port that
 * asked.
 */
final class LocalAnswers {

  private final PacketVerdicts verdicts;
  private final LeaseAuthority leases;
  private final LongSupplier clock;
  private final byte[] reply = new byte[2048];
  private final DhcpResponder dhcp = new DhcpResponder();

  LocalAnswers(PacketVerdicts verdicts, LeaseAuthority leases, LongSupplier clock) {
    this.verdicts = verdicts;
    this.leases = leases;
    this.clock = clock;
  }

  /** Answers an ARP request from the table; replies and announcements end here. */
  void arp(CompiledTable t, int p, PortState st, ParsedFrame f) {
    if (Arp.op(f.buffer, f.l3Offset) != Arp.OP_REQUEST) {
      verdicts.step(TraceStage.LOCAL_ANSWER, "ARP reply/announcement absorbed, never flooded");
      return;
    }
    int n = LocalResponder.arpReply(t, p, f, reply);
    if (n == 0) {
      verdicts.drop(st, DropReason.NO_ROUTE, "ARP for an address not in the table; not flooded");
      return;
    }
    verdicts.step(TraceStage.LOCAL_ANSWER, "ARP answered from the table");
    verdicts.deliver(p, reply, 0, n);
  }

  void dhcp(CompiledTable t, int p, PortState st, ParsedFrame f) {
    int n = dhcp.handle(t, p, st, f, reply, leases, clock.getAsLong());
    switch (n) {
      case DhcpResponder.MALFORMED -> verdicts.drop(st, DropReason.MALFORMED, dhcp.lastDecision);
      case DhcpResponder.SPOOFED -> verdicts.drop(st, DropReason.SPOOFED_SOURCE, dhcp.lastDecision);
      case DhcpResponder.NOT_DHCP_PORT ->
          verdicts.drop(st, DropReason.UNSUPPORTED, dhcp.lastDecision);
      case DhcpResponder.NO_REPLY -> verdicts.step(TraceStage.DHCP, dhcp.lastDecision);
      default -> {
        verdicts.step(TraceStage.DHCP, dhcp.lastDecision);
        verdicts.deliver(p, reply, 0, n);
      }
    }
  }

  void neighborSolicitation(CompiledTable t, int p, PortState st, ParsedFrame f) {
    int n = LocalResponder.neighborAdvertisement(t, p, f, reply);
    if (n == 0) {
      verdicts.drop(st, DropReason.NO_ROUTE, "NS for an address not in the table; not flooded");
      return;
    }
    verdicts.step(TraceStage.LOCAL_ANSWER, "neighbour solicitation answered from the table");
    verdicts.deliver(p, reply, 0, n);
  }

  void neighborAdvertisement() {
    verdicts.step(TraceStage.LOCAL_ANSWER, "neighbour advertisement absorbed, never flooded");
  }

  /** Answers an echo request to the port's gateway; false when the frame is not one. */
  boolean gatewayPing(CompiledTable t, int p, ParsedFrame f) {
    if (!LocalResponder.isPingToGateway(t, p, f)) {
      return false;
    }
    verdicts.step(
        TraceStage.LOCAL_ANSWER,
        f.ipVersion == 4 ? "ping to the gateway answered" : "ping6 to the gateway answered");
    verdicts.deliver(p, reply, 0, LocalResponder.echoReply(f, reply));
    return true;
  }

  /**
   * The packet does not fit the overlay MTU: tell the VM (its stack lowers the path MTU and
   * resends) rather than let it vanish; IPv4 without DF may be fragmented only by its sender.
   */
  void tooBig(CompiledTable t, int p, PortState st, ParsedFrame f) {
    if (f.ipVersion == 4 && !MtuResponder.dontFragment(f)) {
      verdicts.drop(st, DropReason.TOO_BIG, "IPv4 packet without DF exceeds the overlay MTU");
      return;
    }
    verdicts.drop(st, DropReason.TOO_BIG, "packet exceeds the overlay MTU; ICMP too-big answered");
    if (verdicts.tracing()) {
      verdicts.step(
          TraceStage.LOCAL_ANSWER, f.ipLength + " B > MTU " + t.overlayMtu + ": told the VM");
    }
    int n =
        f.ipVersion == 4
            ? MtuResponder.fragmentationNeeded(t, p, f, reply)
            : MtuResponder.packetTooBig(t, p, f, reply);
    verdicts.deliver(p, reply, 0, n);
  }
}
