package io.weft.dataplane.pipeline.internal;

import io.weft.dataplane.codec.Dhcpv4;
import io.weft.dataplane.codec.Ethernet;
import io.weft.dataplane.codec.FrameWriter;
import io.weft.dataplane.codec.ParsedFrame;
import io.weft.dataplane.codec.Udp;
import io.weft.dataplane.pipeline.LeaseAuthority;
import io.weft.dataplane.pipeline.LeaseEvent;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.PortEntry;
import io.weft.dataplane.table.VmSubnet;
import java.util.Optional;

/**
 * The host's DHCPv4 server for vNICs in DHCP mode. It only ever offers the address the table
 * assigns the vNIC or, failing that, the one the {@link LeaseAuthority} gives: it never picks one
 * itself, so two hosts cannot hand out one address. Replies come from the subnet's gateway.
 */
public final class DhcpResponder {

  /** Outcome codes besides a positive reply length. */
  public static final int NO_REPLY = 0;

  public static final int MALFORMED = -1;
  public static final int SPOOFED = -2;
  public static final int NOT_DHCP_PORT = -3;

  /** Human-readable account of the last message handled, for traces (not on the hot path). */
  public String lastDecision = "";

  public int handle(
      CompiledTable t,
      int port,
      PortState state,
      ParsedFrame f,
      byte[] out,
      LeaseAuthority leases,
      long now) {
    byte[] b = f.buffer;
    int d = f.l4Offset + Udp.HEADER;
    int dl = f.l4Length - Udp.HEADER;
    if (!Dhcpv4.valid(b, d, dl) || Dhcpv4.op(b, d) != Dhcpv4.OP_REQUEST) {
      lastDecision = "not a DHCP request (truncated, no magic cookie or not BOOTREQUEST)";
      return MALFORMED;
    }
    int type = Dhcpv4.messageType(b, d, dl);
    if (Dhcpv4.chaddr(b, d) != t.portMac[port]) {
      lastDecision = "client hardware address is not the vNIC's MAC";
      return SPOOFED;
    }
    if (!t.isDhcp(port)) {
      lastDecision = "port " + state.portId + " uses static addressing";
      return NOT_DHCP_PORT;
    }
    PortEntry pe = t.ports[port];
    int subnet = t.portSubnet[port];
    VmSubnet vs = t.subnets[subnet];
    int address = addressFor(t, port, state, leases, pe, vs);
    int xid = Dhcpv4.xid(b, d);
    int flags = Dhcpv4.flags(b, d);
    switch (type) {
      case Dhcpv4.DISCOVER -> {
        if (address == 0) {
          lastDecision = "DISCOVER: no address assigned yet, no offer";
          return NO_REPLY;
        }
        lastDecision = "DISCOVER: offer " + IpAddress.v4(address);
        return reply(t, subnet, out, Dhcpv4.OFFER, xid, flags, 0, address, f.srcMac, true);
      }
      case Dhcpv4.REQUEST -> {
        int requested = Dhcpv4.addressOption(b, d, dl, Dhcpv4.OPT_REQUESTED_IP, 0);
        if (requested == 0) {
          requested = Dhcpv4.ciaddr(b, d);
        }
        if (address == 0 || requested != address) {
          lastDecision = "REQUEST for " + IpAddress.v4(requested) + ": NAK";
          return reply(
              t, subnet, out, Dhcpv4.NAK, xid, Dhcpv4.FLAG_BROADCAST, 0, 0, f.srcMac, false);
        }
        LeaseEvent.Type event =
            state.leasedV4 == address ? LeaseEvent.Type.RENEWED : LeaseEvent.Type.GRANTED;
        state.leasedV4 = address;
        state.leaseExpiresNanos = now + vs.dhcp().leaseSeconds() * 1_000_000_000L;
        leases.leaseEvent(
            new LeaseEvent(
                event,
                pe.portId(),
                pe.mac(),
                pe.vsid(),
                IpAddress.v4(address),
                vs.dhcp().leaseSeconds()));
        lastDecision = "REQUEST: ACK " + IpAddress.v4(address) + " (" + event + ")";
        int ciaddr = Dhcpv4.ciaddr(b, d);
        return reply(t, subnet, out, Dhcpv4.ACK, xid, flags, ciaddr, address, f.srcMac, true);
      }
      case Dhcpv4.RELEASE, Dhcpv4.DECLINE -> {
        if (state.leasedV4 != 0) {
          leases.leaseEvent(
              new LeaseEvent(
                  type == Dhcpv4.RELEASE ? LeaseEvent.Type.RELEASED : LeaseEvent.Type.DECLINED,
                  pe.portId(),
                  pe.mac(),
                  pe.vsid(),
                  IpAddress.v4(state.leasedV4),
                  0));
        }
        state.leasedV4 = 0;
        lastDecision = (type == Dhcpv4.RELEASE ? "RELEASE" : "DECLINE") + ": lease dropped";
        return NO_REPLY;
      }
      case Dhcpv4.INFORM -> {
        lastDecision = "INFORM: ACK with configuration only";
        int ciaddr = Dhcpv4.ciaddr(b, d);
        return reply(t, subnet, out, Dhcpv4.ACK, xid, flags, ciaddr, 0, f.srcMac, false);
      }
      default -> {
        lastDecision =
            type < 0
                ? "no valid message-type option (absent, truncated or of the wrong length)"
                : "DHCP message type " + type + " ignored";
        return MALFORMED;
      }
    }
  }

  private static int addressFor(
      CompiledTable t,
      int port,
      PortState state,
      LeaseAuthority leases,
      PortEntry pe,
      VmSubnet vs) {
    int assigned = t.assignedV4(port);
    if (assigned != 0) {
      return assigned;
    }
    if (state.leasedV4 != 0) {
      return state.leasedV4;
    }
    Optional<IpAddress> a = leases.leaseFor(pe, vs);
    return a.isPresent() && !a.get().v6() && vs.prefix().contains(a.get()) ? a.get().v4Bits() : 0;
  }

  private static int reply(
      CompiledTable t,
      int subnet,
      byte[] out,
      int type,
      int xid,
      int flags,
      int ciaddr,
      int yiaddr,
      long clientMac,
      boolean withConfig) {
    VmSubnet vs = t.subnets[subnet];
    int server = t.gatewayV4(subnet);
    int o = FrameWriter.UDP_V4_PAYLOAD;
    int p = Dhcpv4.writeFixed(out, o, Dhcpv4.OP_REPLY, xid, flags, ciaddr, yiaddr, 0, clientMac);
    p = Dhcpv4.putByteOption(out, p, Dhcpv4.OPT_MESSAGE_TYPE, type);
    p = Dhcpv4.putIntOption(out, p, Dhcpv4.OPT_SERVER_ID, server);
    if (withConfig) {
      if (yiaddr != 0) {
        int lease = vs.dhcp().leaseSeconds();
        p = Dhcpv4.putIntOption(out, p, Dhcpv4.OPT_LEASE_TIME, lease);
        p = Dhcpv4.putIntOption(out, p, Dhcpv4.OPT_RENEWAL_TIME, lease / 2);
        p = Dhcpv4.putIntOption(out, p, Dhcpv4.OPT_REBINDING_TIME, (int) (lease * 7L / 8));
      }
      p = Dhcpv4.putIntOption(out, p, Dhcpv4.OPT_SUBNET_MASK, vs.prefix().v4Mask());
      p = Dhcpv4.putAddressListOption(out, p, Dhcpv4.OPT_ROUTER, new int[] {server});
      int[] dns =
          vs.dhcp().dnsServers().stream()
              .filter(a -> !a.v6())
              .mapToInt(IpAddress::v4Bits)
              .toArray();
      p = Dhcpv4.putAddressListOption(out, p, Dhcpv4.OPT_DNS, dns);
      p = Dhcpv4.putShortOption(out, p, Dhcpv4.OPT_MTU, t.overlayMtu);
    }
    p = Dhcpv4.putEnd(out, p);
    boolean broadcast = (flags & Dhcpv4.FLAG_BROADCAST) != 0 || (yiaddr == 0 && ciaddr == 0);
    int dstIp = broadcast ? -1 : (yiaddr != 0 ? yiaddr : ciaddr);
    long dstMac = broadcast ? Ethernet.BROADCAST : clientMac;
    return FrameWriter.udpV4(
        out,
        0,
        dstMac,
        t.gatewayMac[subnet],
        server,
        dstIp,
        Udp.PORT_DHCP_SERVER,
        Udp.PORT_DHCP_CLIENT,
        p - o);
  }
}
