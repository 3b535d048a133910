package io.weft.dataplane.pipeline;

import io.weft.dataplane.codec.Arp;
import io.weft.dataplane.codec.Ethernet;
import io.weft.dataplane.codec.Icmpv4;
import io.weft.dataplane.codec.Icmpv6;
import io.weft.dataplane.codec.ParsedFrame;
import io.weft.dataplane.codec.Udp;
import io.weft.dataplane.pipeline.internal.CompiledTable;
import io.weft.dataplane.pipeline.internal.PortState;
import io.weft.dataplane.table.IpAddress;
import java.util.function.LongSupplier;

/**
 * What a vNIC may send: its own source MAC, no VLAN tag, broadcasts within the port's storm limit,
 * ARP and IP sources among the port's addresses (or the lease DHCP gave it), no DHCP server or
 * router messages where the port guards against them. Each check drops what fails it and says so;
 * the addresses a port shows, allowed or not, go to the agent's observations.
 */
final class PortSecurity {

  private final PacketVerdicts verdicts;
  private final AddressObservations observed;
  private final LongSupplier clock;

  PortSecurity(PacketVerdicts verdicts, AddressObservations observed, LongSupplier clock) {
    this.verdicts = verdicts;
    this.observed = observed;
    this.clock = clock;
  }

  /** The Ethernet frame's checks, before its EtherType is looked at. */
  boolean admitsFrame(CompiledTable t, int p, PortState st, ParsedFrame f) {
    if (f.srcMac != t.portMac[p]) {
      verdicts.drop(
          st, DropReason.SPOOFED_SOURCE, "source MAC is not the vNIC's " + t.ports[p].mac());
      return false;
    }
    if (f.vlanId >= 0) {
      verdicts.drop(st, DropReason.UNSUPPORTED, "VLAN-tagged frame from a vNIC");
      return false;
    }
    if (Ethernet.isMulticast(f.dstMac)
        && !st.admitBroadcast(t.ports[p].broadcastPerSecond(), clock.getAsLong())) {
      verdicts.drop(
          st, DropReason.STORM, "broadcast above " + t.ports[p].broadcastPerSecond() + "/s");
      return false;
    }
    return true;
  }

  boolean admitsArp(CompiledTable t, int p, PortState st, ParsedFrame f) {
    int sender = Arp.senderIp(f.buffer, f.l3Offset);
    if (Arp.senderMac(f.buffer, f.l3Offset) != f.srcMac
        || (sender != 0 && !allowedV4(t, p, st, sender))) {
      observe(p, AddressObservations.SPOOF, sender);
      verdicts.drop(
          st, DropReason.SPOOFED_SOURCE, "ARP sender " + IpAddress.v4(sender) + " not allowed");
      return false;
    }
    observe(p, AddressObservations.ARP, sender);
    return true;
  }

  /** Records a non-zero IPv4 address the port showed; allocation-free. */
  private void observe(int p, int kind, int address) {
    if (observed != null && address != 0) {
      observed.v4(p, kind, address);
    }
  }

  private static boolean allowedV4(CompiledTable t, int p, PortState st, int address) {
    return t.allowsV4(p, address) || (address != 0 && address == st.leasedV4);
  }

  /** A DHCP client's request: the one IPv4 packet a port may send before it has an address. */
  static boolean fromDhcpClient(ParsedFrame f) {
    return f.isUdp() && f.srcPort == Udp.PORT_DHCP_CLIENT && f.dstPort == 67;
  }

  boolean admitsV4(CompiledTable t, int p, PortState st, ParsedFrame f) {
    boolean dhcpClient = fromDhcpClient(f);
    if (!allowedV4(t, p, st, f.srcV4()) && !(dhcpClient && f.srcV4() == 0)) {
      observe(p, AddressObservations.SPOOF, f.srcV4());
      verdicts.drop(
          st, DropReason.SPOOFED_SOURCE, "source " + IpAddress.v4(f.srcV4()) + " not allowed");
      return false;
    }
    observe(p, AddressObservations.SOURCE, f.srcV4());
    if (f.isUdp() && f.srcPort == Udp.PORT_DHCP_SERVER && t.ports[p].dhcpGuard()) {
      verdicts.drop(st, DropReason.DHCP_GUARD, "DHCP server message from a VM");
      return false;
    }
    if (f.isIcmpv4() && f.icmpType() == Icmpv4.REDIRECT && t.ports[p].routerGuard()) {
      verdicts.drop(st, DropReason.ROUTER_GUARD, "ICMP redirect from a VM");
      return false;
    }
    if (verdicts.tracing()) {
      verdicts.step(
          TraceStage.PORT_SECURITY, "source MAC and " + IpAddress.v4(f.srcV4()) + " allowed");
    }
    return true;
  }

  boolean admitsV6(CompiledTable t, int p, PortState st, ParsedFrame f) {
    boolean linkLocal = (f.srcHi >>> 54) == 0x3FA;
    boolean unspecified = f.srcHi == 0 && f.srcLo == 0;
    if (!linkLocal && !t.allowsV6(p, f.srcHi, f.srcLo) && !(unspecified && isNd(f))) {
      if (observed != null) {
        observed.v6(p, AddressObservations.SPOOF, f.srcHi, f.srcLo);
      }
      verdicts.drop(
          st,
          DropReason.SPOOFED_SOURCE,
          "IPv6 source " + FrameText.v6(f.srcHi, f.srcLo) + " not allowed");
      return false;
    }
    if (observed != null && !linkLocal && !unspecified) {
      observed.v6(p, AddressObservations.SOURCE, f.srcHi, f.srcLo);
    }
    int type = f.isIcmpv6() ? f.icmpType() : -1;
    if ((type == Icmpv6.ROUTER_ADVERTISEMENT || type == Icmpv6.REDIRECT)
        && t.ports[p].routerGuard()) {
      verdicts.drop(st, DropReason.ROUTER_GUARD, "ICMPv6 type " + type + " from a VM");
      return false;
    }
    if (verdicts.tracing()) {
      verdicts.step(
          TraceStage.PORT_SECURITY,
          "source MAC and "
              + FrameText.v6(f.srcHi, f.srcLo)
              + (linkLocal ? " (link-local)" : unspecified ? " (unspecified, ND)" : "")
              + " allowed");
    }
    return true;
  }

  private static boolean isNd(ParsedFrame f) {
    return f.isIcmpv6()
        && (f.icmpType() == Icmpv6.NEIGHBOR_SOLICITATION
            || f.icmpType() == Icmpv6.ROUTER_SOLICITATION);
  }

  /** A neighbour solicitation may name only the vNIC's own MAC as its source link-layer address. */
  boolean admitsSolicitation(PortState st, ParsedFrame f) {
    long ll = Icmpv6.linkLayerOption(f.buffer, f.l4Offset, f.l4Length, Icmpv6.OPT_SOURCE_LL);
    if (ll >= 0 && ll != f.srcMac) {
      verdicts.drop(
          st, DropReason.SPOOFED_SOURCE, "NS source link-layer option is not the vNIC's MAC");
      return false;
    }
    return true;
  }
}
