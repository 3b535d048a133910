package io.weft.dataplane.pipeline;

import io.weft.dataplane.codec.Arp;
import io.weft.dataplane.codec.Bytes;
import io.weft.dataplane.codec.Ethernet;
import io.weft.dataplane.codec.FrameParser;
import io.weft.dataplane.codec.Icmpv4;
import io.weft.dataplane.codec.Icmpv6;
import io.weft.dataplane.codec.Ipv4;
import io.weft.dataplane.codec.Ipv6;
import io.weft.dataplane.codec.ParsedFrame;
import io.weft.dataplane.codec.Udp;
import io.weft.dataplane.pipeline.internal.CompiledTable;
import io.weft.dataplane.pipeline.internal.DhcpResponder;
import io.weft.dataplane.pipeline.internal.LocalResponder;
import io.weft.dataplane.pipeline.internal.MtuResponder;
import io.weft.dataplane.pipeline.internal.PortState;
import io.weft.dataplane.pipeline.internal.Underlay;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The per-host virtual switch. From a vNIC: port security → local answers (ARP, ND, DHCP, gateway
 * ping) → L2 lookup in the port's VSID or distributed routing within its VM network → local
 * delivery or encapsulation. From the underlay: decapsulate → VSID present here → deliver to the
 * local vNIC of that VSID. Lookups are keyed by VSID, so a frame cannot leave its VM network.
 *
 * <p>Single writer: one thread calls every method (backends enqueue to it). Nothing is allocated
 * per packet unless a {@link TraceSink} is given; malformed input is counted and dropped, never
 * thrown.
 */
public final class VirtualSwitch {

  private static final DropReason[] REASONS = DropReason.values();

  private final SwitchOutput output;
  private final LeaseAuthority leases;
  private final AddressObservations observed;
  private final LongSupplier clock;
  private final ParsedFrame frame = new ParsedFrame();
  private final Underlay underlay;
  private final byte[] reply = new byte[2048];
  private final DhcpResponder dhcp = new DhcpResponder();
  private final Map<String, PortState> statesById = new HashMap<>();
  private final Map<String, FrameTap> portTaps = new HashMap<>();
  private final long[] hostDrops = new long[REASONS.length];
  private CompiledTable table;
  private PortState[] states;
  private FrameTap[] tapsByPort;
  private TraceSink trace = TraceSink.NONE;
  private final ProbeWatches probes = new ProbeWatches();
  private final DropRing drops;

  /** The port the current frame came from, -1 for the underlay: for the drop record. */
  private int currentPort = -1;

  /** Whether {@link #frame} holds the current frame (parsed), for the drop record. */
  private boolean frameParsed;

  /** The current underlay packet's source PA, 0 for frames from a vNIC. */
  private int outerSource;

  public VirtualSwitch(
      HostTable table, SwitchOutput output, LeaseAuthority leases, LongSupplier nanoClock) {
    this.output = output;
    this.leases = leases;
    this.observed = leases.observations();
    this.clock = nanoClock;
    this.underlay = new Underlay(output);
    this.drops =
        new DropRing(
            DropRing.DEFAULT_CAPACITY,
            new MonotonicWallClock(Instant.now().toEpochMilli() * 1000, nanoClock));
    install(table);
  }

  /** Forwards with {@code table} from now on; port counters and DHCP leases carry over by id. */
  public void install(HostTable newTable) {
    CompiledTable compiled = new CompiledTable(newTable);
    PortState[] newStates = new PortState[compiled.ports.length];
    FrameTap[] newTaps = new FrameTap[compiled.ports.length];
    for (int i = 0; i < newStates.length; i++) {
      String id = compiled.ports[i].portId();
      newStates[i] = statesById.computeIfAbsent(id, PortState::new);
      newTaps[i] = portTaps.get(id);
      if (compiled.assignedV4(i) != 0 && newStates[i].leasedV4 != compiled.assignedV4(i)) {
        newStates[i].leasedV4 = 0; // the fabric moved the vNIC to another address
      }
    }
    statesById.keySet().retainAll(java.util.Arrays.stream(newStates).map(s -> s.portId).toList());
    table = compiled;
    if (observed != null) {
      observed.install(List.of(compiled.ports));
    }
    states = newStates;
    tapsByPort = newTaps;
  }

  public HostTable table() {
    return table.source;
  }

  /** Live probes this switch records; any thread may add or remove one. */
  public ProbeWatches probes() {
    return probes;
  }

  /** Captures frames entering and leaving the vNIC {@code portId}; null stops. */
  public void tapPort(String portId, FrameTap tap) {
    if (tap == null) {
      portTaps.remove(portId);
    } else {
      portTaps.put(portId, tap);
    }
    int i = table.portIndex(portId);
    if (i >= 0) {
      tapsByPort[i] = tap;
    }
  }

  /**
   * Puts a bounded capture on a port ({@code portId}) or, with null, on the underlay; refuses when
   * the port is not in the table or another capture runs there.
   */
  public void attachCapture(String portId, FrameTap tap) {
    if (portId == null) {
      if (underlay.tap != null) {
        throw new IllegalStateException("a capture is already running on the underlay");
      }
      tapUnderlay(tap);
      return;
    }
    if (table.portIndex(portId) < 0) {
      throw new IllegalArgumentException("port " + portId + " is not on this host");
    }
    if (portTaps.containsKey(portId)) {
      throw new IllegalStateException("a capture is already running on port " + portId);
    }
    tapPort(portId, tap);
  }

  /** Removes {@code tap} if it is still the one on the port (or, with null, the underlay). */
  public void detachCapture(String portId, FrameTap tap) {
    if (portId == null) {
      if (underlay.tap == tap) {
        tapUnderlay(null);
      }
    } else if (portTaps.get(portId) == tap) {
      tapPort(portId, null);
    }
  }

  /** Captures encapsulated packets sent to and received from the underlay; null stops. */
  public void tapUnderlay(FrameTap tap) {
    underlay.tap = tap;
  }

  /** A frame the VM on {@code portId} sent. */
  public void fromPort(String portId, byte[] b, int off, int len) {
    fromPort(portId, b, off, len, TraceSink.NONE);
  }

  /**
   * A frame the VM on {@code portId} sent, or a probe injected as if it had, reporting every
   * decision to {@code sink}.
   */
  public void fromPort(String portId, byte[] b, int off, int len, TraceSink sink) {
    trace = probes.any() ? probes.forPort(sink, portId, b, off, len) : sink;
    currentPort = -1;
    frameParsed = false;
    outerSource = 0;
    try {
      int p = table.portIndex(portId);
      if (p < 0) {
        drop(null, DropReason.UNKNOWN_PORT, "port " + portId + " is not in the table");
        return;
      }
      currentPort = p;
      PortState st = states[p];
      st.counters[PortState.RX_FRAMES]++;
      st.counters[PortState.RX_BYTES] += len;
      if (tapsByPort[p] != null) {
        tapsByPort[p].frame(b, off, len);
      }
      ingress(p, st, b, off, len);
    } catch (RuntimeException e) {
      // Defensive: codecs check bounds, so this means a bug; never let it stop the switch.
      drop(null, DropReason.MALFORMED, "unexpected " + e);
    } finally {
      trace = TraceSink.NONE;
    }
  }

  private void ingress(int p, PortState st, byte[] b, int off, int len) {
    ParsedFrame f = frame;
    int status = FrameParser.parse(b, off, len, f);
    if (status != FrameParser.OK) {
      drop(st, DropReason.MALFORMED, FrameParser.describe(status));
      return;
    }
    frameParsed = true;
    CompiledTable t = table;
    if (f.srcMac != t.portMac[p]) {
      drop(st, DropReason.SPOOFED_SOURCE, "source MAC is not the vNIC's " + t.ports[p].mac());
      return;
    }
    if (f.vlanId >= 0) {
      drop(st, DropReason.UNSUPPORTED, "VLAN-tagged frame from a vNIC");
      return;
    }
    if (Ethernet.isMulticast(f.dstMac)
        && !st.admitBroadcast(t.ports[p].broadcastPerSecond(), clock.getAsLong())) {
      drop(st, DropReason.STORM, "broadcast above " + t.ports[p].broadcastPerSecond() + "/s");
      return;
    }
    if (trace != TraceSink.NONE) {
      step(TraceStage.PARSE, describe(f));
    }
    switch (f.etherType) {
      case Ethernet.TYPE_ARP -> arp(p, st, f);
      case Ethernet.TYPE_IPV4 -> ipv4(p, st, f);
      case Ethernet.TYPE_IPV6 -> ipv6(p, st, f);
      default ->
          drop(st, DropReason.UNSUPPORTED, "EtherType 0x" + Integer.toHexString(f.etherType));
    }
  }

  private void arp(int p, PortState st, ParsedFrame f) {
    int sender = Arp.senderIp(f.buffer, f.l3Offset);
    if (Arp.senderMac(f.buffer, f.l3Offset) != f.srcMac
        || (sender != 0 && !allowedV4(p, st, sender))) {
      observe(p, AddressObservations.SPOOF, sender);
      drop(st, DropReason.SPOOFED_SOURCE, "ARP sender " + IpAddress.v4(sender) + " not allowed");
      return;
    }
    observe(p, AddressObservations.ARP, sender);
    if (Arp.op(f.buffer, f.l3Offset) != Arp.OP_REQUEST) {
      step(TraceStage.LOCAL_ANSWER, "ARP reply/announcement absorbed, never flooded");
      return;
    }
    int n = LocalResponder.arpReply(table, p, f, reply);
    if (n == 0) {
      drop(st, DropReason.NO_ROUTE, "ARP for an address not in the table; not flooded");
      return;
    }
    step(TraceStage.LOCAL_ANSWER, "ARP answered from the table");
    deliver(p, reply, 0, n);
  }

  /** Records a non-zero IPv4 address the port showed; allocation-free. */
  private void observe(int p, int kind, int address) {
    if (observed != null && address != 0) {
      observed.v4(p, kind, address);
    }
  }

  private boolean allowedV4(int p, PortState st, int address) {
    return table.allowsV4(p, address) || (address != 0 && address == st.leasedV4);
  }

  private void ipv4(int p, PortState st, ParsedFrame f) {
    boolean dhcpClient = f.isUdp() && f.srcPort == Udp.PORT_DHCP_CLIENT && f.dstPort == 67;
    if (!allowedV4(p, st, f.srcV4()) && !(dhcpClient && f.srcV4() == 0)) {
      observe(p, AddressObservations.SPOOF, f.srcV4());
      drop(st, DropReason.SPOOFED_SOURCE, "source " + IpAddress.v4(f.srcV4()) + " not allowed");
      return;
    }
    observe(p, AddressObservations.SOURCE, f.srcV4());
    if (f.isUdp() && f.srcPort == Udp.PORT_DHCP_SERVER && table.ports[p].dhcpGuard()) {
      drop(st, DropReason.DHCP_GUARD, "DHCP server message from a VM");
      return;
    }
    if (f.isIcmpv4() && f.icmpType() == Icmpv4.REDIRECT && table.ports[p].routerGuard()) {
      drop(st, DropReason.ROUTER_GUARD, "ICMP redirect from a VM");
      return;
    }
    if (trace != TraceSink.NONE) {
      step(TraceStage.PORT_SECURITY, "source MAC and " + IpAddress.v4(f.srcV4()) + " allowed");
    }
    if (dhcpClient) {
      dhcpRequest(p, st, f);
      return;
    }
    if (LocalResponder.isPingToGateway(table, p, f)) {
      step(TraceStage.LOCAL_ANSWER, "ping to the gateway answered");
      deliver(p, reply, 0, LocalResponder.echoReply(f, reply));
      return;
    }
    forward(p, st, f);
  }

  private void dhcpRequest(int p, PortState st, ParsedFrame f) {
    int n = dhcp.handle(table, p, st, f, reply, leases, clock.getAsLong());
    switch (n) {
      case DhcpResponder.MALFORMED -> drop(st, DropReason.MALFORMED, dhcp.lastDecision);
      case DhcpResponder.SPOOFED -> drop(st, DropReason.SPOOFED_SOURCE, dhcp.lastDecision);
      case DhcpResponder.NOT_DHCP_PORT -> drop(st, DropReason.UNSUPPORTED, dhcp.lastDecision);
      case DhcpResponder.NO_REPLY -> step(TraceStage.DHCP, dhcp.lastDecision);
      default -> {
        step(TraceStage.DHCP, dhcp.lastDecision);
        deliver(p, reply, 0, n);
      }
    }
  }

  private void ipv6(int p, PortState st, ParsedFrame f) {
    boolean linkLocal = (f.srcHi >>> 54) == 0x3FA;
    boolean unspecified = f.srcHi == 0 && f.srcLo == 0;
    if (!linkLocal && !table.allowsV6(p, f.srcHi, f.srcLo) && !(unspecified && isNd(f))) {
      if (observed != null) {
        observed.v6(p, AddressObservations.SPOOF, f.srcHi, f.srcLo);
      }
      drop(st, DropReason.SPOOFED_SOURCE, "IPv6 source " + v6(f.srcHi, f.srcLo) + " not allowed");
      return;
    }
    if (observed != null && !linkLocal && !unspecified) {
      observed.v6(p, AddressObservations.SOURCE, f.srcHi, f.srcLo);
    }
    int type = f.isIcmpv6() ? f.icmpType() : -1;
    if ((type == Icmpv6.ROUTER_ADVERTISEMENT || type == Icmpv6.REDIRECT)
        && table.ports[p].routerGuard()) {
      drop(st, DropReason.ROUTER_GUARD, "ICMPv6 type " + type + " from a VM");
      return;
    }
    if (trace != TraceSink.NONE) {
      step(
          TraceStage.PORT_SECURITY,
          "source MAC and "
              + v6(f.srcHi, f.srcLo)
              + (linkLocal ? " (link-local)" : unspecified ? " (unspecified, ND)" : "")
              + " allowed");
    }
    if (type == Icmpv6.NEIGHBOR_SOLICITATION && f.l4Length >= Icmpv6.ND_LENGTH) {
      long ll = Icmpv6.linkLayerOption(f.buffer, f.l4Offset, f.l4Length, Icmpv6.OPT_SOURCE_LL);
      if (ll >= 0 && ll != f.srcMac) {
        drop(st, DropReason.SPOOFED_SOURCE, "NS source link-layer option is not the vNIC's MAC");
        return;
      }
      int n = LocalResponder.neighborAdvertisement(table, p, f, reply);
      if (n == 0) {
        drop(st, DropReason.NO_ROUTE, "NS for an address not in the table; not flooded");
        return;
      }
      step(TraceStage.LOCAL_ANSWER, "neighbour solicitation answered from the table");
      deliver(p, reply, 0, n);
      return;
    }
    if (type == Icmpv6.NEIGHBOR_ADVERTISEMENT) {
      step(TraceStage.LOCAL_ANSWER, "neighbour advertisement absorbed, never flooded");
      return;
    }
    if (LocalResponder.isPingToGateway(table, p, f)) {
      step(TraceStage.LOCAL_ANSWER, "ping6 to the gateway answered");
      deliver(p, reply, 0, LocalResponder.echoReply(f, reply));
      return;
    }
    forward(p, st, f);
  }

  private static boolean isNd(ParsedFrame f) {
    return f.isIcmpv6()
        && (f.icmpType() == Icmpv6.NEIGHBOR_SOLICITATION
            || f.icmpType() == Icmpv6.ROUTER_SOLICITATION);
  }

  private void forward(int p, PortState st, ParsedFrame f) {
    CompiledTable t = table;
    if (Ethernet.isMulticast(f.dstMac)) {
      drop(st, DropReason.UNSUPPORTED, "broadcast/multicast is never flooded");
      return;
    }
    if (f.ipLength > t.overlayMtu) {
      tooBig(p, st, f, t);
      return;
    }
    int subnet = t.portSubnet[p];
    int vsid = t.subnetVsid[subnet];
    if (f.dstMac != t.gatewayMac[subnet]) {
      int local = t.localPortByMac(vsid, f.dstMac);
      if (local >= 0) {
        step(
            TraceStage.L2_LOOKUP, "VSID " + vsid + " MAC is local port " + t.ports[local].portId());
        deliver(local, f.buffer, f.offset, f.length);
        return;
      }
      int r = t.recordByMac(vsid, f.dstMac);
      if (r < 0) {
        drop(st, DropReason.NO_ROUTE, "no record for destination MAC in VSID " + vsid);
        return;
      }
      if (trace != TraceSink.NONE) {
        step(TraceStage.L2_LOOKUP, "VSID " + vsid + " MAC → PA " + IpAddress.v4(t.recordPa[r]));
      }
      int at = underlay.stage(f.buffer, f.offset, f.length);
      encapsulate(t.recordPa[r], vsid, at, f.length);
      return;
    }
    route(p, st, f, t, vsid);
  }

  /**
   * The packet does not fit the overlay MTU: tell the VM (its stack lowers the path MTU and
   * resends) rather than let it vanish; IPv4 without DF may be fragmented only by its sender.
   */
  private void tooBig(int p, PortState st, ParsedFrame f, CompiledTable t) {
    if (f.ipVersion == 4 && !MtuResponder.dontFragment(f)) {
      drop(st, DropReason.TOO_BIG, "IPv4 packet without DF exceeds the overlay MTU");
      return;
    }
    drop(st, DropReason.TOO_BIG, "packet exceeds the overlay MTU; ICMP too-big answered");
    if (trace != TraceSink.NONE) {
      step(TraceStage.LOCAL_ANSWER, f.ipLength + " B > MTU " + t.overlayMtu + ": told the VM");
    }
    int n =
        f.ipVersion == 4
            ? MtuResponder.fragmentationNeeded(t, p, f, reply)
            : MtuResponder.packetTooBig(t, p, f, reply);
    deliver(p, reply, 0, n);
  }

  private void route(int p, PortState st, ParsedFrame f, CompiledTable t, int vsid) {
    boolean v6 = f.ipVersion == 6;
    int ds = t.subnetContaining(t.portDomain[p], v6, f.dstHi, f.dstLo);
    if (ds < 0) {
      drop(st, DropReason.NO_ROUTE, "no subnet of this VM network holds " + dst(f));
      return;
    }
    if (f.ttl <= 1) {
      drop(st, DropReason.TTL_EXPIRED, "TTL/hop limit " + f.ttl);
      return;
    }
    int dvsid = t.subnetVsid[ds];
    int r = v6 ? t.recordByIp6(dvsid, f.dstHi, f.dstLo) : t.recordByIp4(dvsid, f.dstV4());
    if (r < 0) {
      drop(st, DropReason.NO_ROUTE, "no record for " + dst(f) + " in VSID " + dvsid);
      return;
    }
    if (trace != TraceSink.NONE) {
      step(
          TraceStage.ROUTE,
          "VSID "
              + vsid
              + " → "
              + dvsid
              + " ("
              + t.subnets[ds].prefix()
              + "), rewrite MACs, TTL-1");
    }
    int at = underlay.stage(f.buffer, f.offset, f.length);
    byte[] s = underlay.buffer;
    Bytes.put48(s, at + Ethernet.DST, t.recordMac[r]);
    Bytes.put48(s, at + Ethernet.SRC, t.gatewayMac[ds]);
    int l3 = at + (f.l3Offset - f.offset);
    if (v6) {
      Ipv6.setHopLimit(s, l3, f.ttl - 1);
    } else {
      Ipv4.decrementTtl(s, l3);
    }
    int local = t.localPortByMac(dvsid, t.recordMac[r]);
    if (local >= 0) {
      deliver(local, s, at, f.length);
    } else {
      encapsulate(t.recordPa[r], dvsid, at, f.length);
    }
  }

  private void encapsulate(int pa, int vsid, int innerAt, int innerLen) {
    underlay.encapsulate(table, frame, pa, vsid, innerAt, innerLen);
    if (trace != TraceSink.NONE) {
      step(
          TraceStage.ENCAPSULATE,
          (table.vxlan ? "VXLAN VNI " : "NVGRE VSID ") + vsid + " to PA " + IpAddress.v4(pa));
    }
  }

  /** An encapsulated packet from the underlay (a full outer IPv4 packet). */
  public void fromUnderlay(byte[] b, int off, int len) {
    fromUnderlay(b, off, len, TraceSink.NONE);
  }

  public void fromUnderlay(byte[] b, int off, int len, TraceSink sink) {
    trace = probes.any() ? probes.forUnderlay(sink, b, off, len) : sink;
    currentPort = -1;
    frameParsed = false;
    outerSource =
        b != null && off >= 0 && len >= 20 && off + len <= b.length ? Ipv4.src(b, off) : 0;
    try {
      int result = underlay.decapsulate(table, frame, b, off, len);
      if (result < 0) {
        frameParsed = underlay.innerParsed;
        drop(null, REASONS[-result - 1], underlay.lastProblem);
        return;
      }
      if (trace != TraceSink.NONE) {
        step(TraceStage.DECAPSULATE, "VSID " + underlay.lastVsid + ", inner " + describe(frame));
      }
      deliver(result, b, frame.offset, frame.length);
    } catch (RuntimeException e) {
      drop(null, DropReason.MALFORMED, "unexpected " + e);
    } finally {
      trace = TraceSink.NONE;
    }
  }

  private void deliver(int port, byte[] b, int off, int len) {
    PortState st = states[port];
    st.counters[PortState.TX_FRAMES]++;
    st.counters[PortState.TX_BYTES] += len;
    if (tapsByPort[port] != null) {
      tapsByPort[port].frame(b, off, len);
    }
    if (trace != TraceSink.NONE) {
      step(TraceStage.DELIVER, "to port " + table.ports[port].portId());
    }
    output.toPort(table.ports[port].portId(), b, off, len);
  }

  private void drop(PortState st, DropReason reason, String why) {
    hostDrops[reason.ordinal()]++;
    CompiledTable t = table;
    int p = currentPort;
    drops.record(
        clock.getAsLong(),
        reason,
        p >= 0 ? t.ports[p] : null,
        frameParsed ? frame : null,
        p >= 0 ? t.subnetVsid[t.portSubnet[p]] : underlay.lastVsid,
        t.source.generation(),
        outerSource,
        why);
    if (st != null) {
      st.counters[PortState.DROPS + reason.ordinal()]++;
    }
    if (trace != TraceSink.NONE) {
      step(TraceStage.DROP, reason + ": " + why);
    }
  }

  private void step(TraceStage stage, String detail) {
    if (trace != TraceSink.NONE) {
      trace.step(new TraceStep(stage, detail));
    }
  }

  /**
   * The recent drops of this switch with what decided each; the switch records, any thread reads.
   */
  public DropRing drops() {
    return drops;
  }

  /** A copy of all counters; call on the switch thread (backends enqueue the call). */
  public CounterSnapshot counters() {
    return CounterSnapshots.of(
        statesById.values(), hostDrops, underlay.rxPackets, underlay.txPackets);
  }

  /** The address the DHCP responder leased to a port, if any. */
  public IpAddress leasedAddress(String portId) {
    PortState st = statesById.get(portId);
    return st == null || st.leasedV4 == 0 ? null : IpAddress.v4(st.leasedV4);
  }

  private static String describe(ParsedFrame f) {
    String l3 =
        f.isArp() ? "ARP" : f.ipVersion == 0 ? "EtherType " + f.etherType : src(f) + " → " + dst(f);
    return "frame "
        + f.length
        + " B, "
        + l3
        + (f.isIp() ? " proto " + f.l4Protocol + " ttl " + f.ttl : "");
  }

  private static String src(ParsedFrame f) {
    return f.ipVersion == 4 ? IpAddress.v4(f.srcV4()).toString() : v6(f.srcHi, f.srcLo);
  }

  private static String dst(ParsedFrame f) {
    return f.ipVersion == 4 ? IpAddress.v4(f.dstV4()).toString() : v6(f.dstHi, f.dstLo);
  }

  private static String v6(long hi, long lo) {
    return IpAddress.v6(hi, lo).toString();
  }
}
