package io.weft.dataplane.agent;

import io.weft.dataplane.backend.HostBackend;
import io.weft.dataplane.codec.Arp;
import io.weft.dataplane.codec.Dhcpv4;
import io.weft.dataplane.codec.Ethernet;
import io.weft.dataplane.codec.FrameWriter;
import io.weft.dataplane.pipeline.PacketTracer;
import io.weft.dataplane.pipeline.TraceStage;
import io.weft.dataplane.pipeline.TraceStep;
import io.weft.dataplane.table.AddressingMode;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.PortEntry;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A probe's checks of the host's own answers, asked as the VM would ask: did the switch answer the
 * VM's ARP (IPv4) or neighbour solicitation (IPv6) for an address from the table, and would its
 * DHCP responder offer the vNIC a lease. The data plane has no DHCPv6 (IPv6 vNICs have static
 * addresses), so an IPv6 probe checks neighbour discovery only.
 */
final class HostAnswerChecks {

  private final HostBackend backend;

  HostAnswerChecks(HostBackend backend) {
    this.backend = backend;
  }

  /**
   * Asks for {@code target}'s MAC as the VM on {@code port} would (ARP for IPv4, a neighbour
   * solicitation for IPv6) and adds check {@code name} ({@code GATEWAY_ARP} / {@code GATEWAY_ND},
   * ...); returns whether the host answered.
   */
  boolean checkResolution(
      ArrayNode checks, String name, PortEntry port, IpAddress self, IpAddress target)
      throws Exception {
    byte[] b = new byte[96];
    int len =
        target.v6()
            ? FrameWriter.neighborSolicitation(
                b, 0, port.mac().value(), self.hi(), self.lo(), target.hi(), target.lo())
            : FrameWriter.arp(
                b,
                0,
                Ethernet.BROADCAST,
                Arp.OP_REQUEST,
                port.mac().value(),
                self.v4Bits(),
                0,
                target.v4Bits());
    List<TraceStep> steps =
        backend.injectProbe(port.portId(), Arrays.copyOf(b, len)).get(2, TimeUnit.SECONDS);
    boolean answered = steps.stream().anyMatch(s -> s.stage() == TraceStage.DELIVER);
    String asked = (target.v6() ? "neighbour solicitation for " : "ARP for ") + target;
    ObjectNode check = checks.addObject();
    check.put("name", name);
    check.put("ok", answered);
    check.put("detail", answered ? asked + " answered by the host" : asked + ": " + last(steps));
    return answered;
  }

  /**
   * Would the host's DHCP responder offer this vNIC an address (traced on a copy, sent nowhere)?
   */
  static void checkDhcp(ArrayNode checks, HostTable table, PortEntry port) {
    if (port.addressing() != AddressingMode.DHCP) {
      return;
    }
    byte[] b = new byte[600];
    int o = FrameWriter.UDP_V4_PAYLOAD;
    int p = Dhcpv4.writeFixed(b, o, Dhcpv4.OP_REQUEST, 0x57454654, 0, 0, 0, 0, port.mac().value());
    p = Dhcpv4.putByteOption(b, p, Dhcpv4.OPT_MESSAGE_TYPE, Dhcpv4.DISCOVER);
    p = Dhcpv4.putEnd(b, p);
    int len = FrameWriter.udpV4(b, 0, Ethernet.BROADCAST, port.mac().value(), 0, -1, 68, 67, p - o);
    List<TraceStep> steps = PacketTracer.trace(table, port.portId(), Arrays.copyOf(b, len)).steps();
    boolean offered = steps.stream().anyMatch(s -> s.stage() == TraceStage.DELIVER);
    ObjectNode check = checks.addObject();
    check.put("name", "DHCP_OFFER");
    check.put("ok", offered);
    check.put(
        "detail",
        steps.stream()
            .filter(s -> s.stage() == TraceStage.DHCP || s.stage() == TraceStage.DROP)
            .map(TraceStep::detail)
            .findFirst()
            .orElse(last(steps)));
  }

  static String last(List<TraceStep> steps) {
    return steps.isEmpty() ? "no decision" : steps.getLast().toString();
  }
}
