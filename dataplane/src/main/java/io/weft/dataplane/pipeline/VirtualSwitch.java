package io.weft.dataplane.pipeline;

import io.weft.dataplane.codec.Ethernet;
import io.weft.dataplane.codec.FrameParser;
import io.weft.dataplane.codec.Icmpv6;
import io.weft.dataplane.codec.Ipv4;
import io.weft.dataplane.codec.ParsedFrame;
import io.weft.dataplane.pipeline.internal.CompiledTable;
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
 * <p>Each stage is a class of its own, composed here: {@link PortSecurity}, {@link LocalAnswers},
 * {@link Forwarding} and its {@link DistributedRouter}; every stage ends a packet through {@link
 * PacketVerdicts}, which keeps the counters, captures, drop ring and trace.
 *
 * <p>Single writer: one thread calls every method (backends enqueue to it). Nothing is allocated
 * per packet unless a {@link TraceSink} is given; malformed input is counted and dropped, never
 * thrown.
 */
public final class VirtualSwitch {

  private static final DropReason[] REASONS = DropReason.values();

  private final AddressObservations observed;
  private final ParsedFrame frame = new ParsedFrame();
  private final Underlay underlay;
  private final Map<String, PortState> statesById = new HashMap<>();
  private final Map<String, FrameTap> portTaps = new HashMap<>();
  private final long[] hostDrops = new long[REASONS.length];
  private CompiledTable table;
  private PortState[] states;
  private FrameTap[] tapsByPort;
  private final ProbeWatches probes = new ProbeWatches();
  private final DropRing drops;
  private final PacketVerdicts verdicts;
  private final PortSecurity security;
  private final LocalAnswers answers;
  private final Forwarding forwarding;

  public VirtualSwitch(
      HostTable table, SwitchOutput output, LeaseAuthority leases, LongSupplier nanoClock) {
    this.observed = leases.observations();
    this.underlay = new Underlay(output);
    this.drops =
        new DropRing(
            DropRing.DEFAULT_CAPACITY,
            new MonotonicWallClock(Instant.now().toEpochMilli() * 1000, nanoClock));
    this.verdicts = new PacketVerdicts(output, nanoClock, frame, underlay, hostDrops, drops);
    this.security = new PortSecurity(verdicts, observed, nanoClock);
    this.answers = new LocalAnswers(verdicts, leases, nanoClock);
    this.forwarding =
        new Forwarding(verdicts, underlay, answers, new DistributedRouter(verdicts, underlay));
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
    verdicts.install(compiled, newStates, newTaps);
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
    verdicts.begin(probes.any() ? probes.forPort(sink, portId, b, off, len) : sink, 0);
    try {
      int p = table.portIndex(portId);
      if (p < 0) {
        verdicts.drop(null, DropReason.UNKNOWN_PORT, "port " + portId + " is not in the table");
        return;
      }
      verdicts.atPort(p);
      PortState st = states[p];
      st.counters[PortState.RX_FRAMES]++;
      st.counters[PortState.RX_BYTES] += len;
      if (tapsByPort[p] != null) {
        tapsByPort[p].frame(b, off, len);
      }
      ingress(p, st, b, off, len);
    } catch (RuntimeException e) {
      // Defensive: codecs check bounds, so this means a bug; never let it stop the switch.
      verdicts.drop(null, DropReason.MALFORMED, "unexpected " + e);
    } finally {
      verdicts.end();
    }
  }

  private void ingress(int p, PortState st, byte[] b, int off, int len) {
    ParsedFrame f = frame;
    int status = FrameParser.parse(b, off, len, f);
    if (status != FrameParser.OK) {
      verdicts.drop(st, DropReason.MALFORMED, FrameParser.describe(status));
      return;
    }
    verdicts.frameParsed(true);
    CompiledTable t = table;
    if (!security.admitsFrame(t, p, st, f)) {
      return;
    }
    if (verdicts.tracing()) {
      verdicts.step(TraceStage.PARSE, FrameText.describe(f));
    }
    switch (f.etherType) {
      case Ethernet.TYPE_ARP -> arp(t, p, st, f);
      case Ethernet.TYPE_IPV4 -> ipv4(t, p, st, f);
      case Ethernet.TYPE_IPV6 -> ipv6(t, p, st, f);
      default ->
          verdicts.drop(
              st, DropReason.UNSUPPORTED, "EtherType 0x" + Integer.toHexString(f.etherType));
    }
  }

  private void arp(CompiledTable t, int p, PortState st, ParsedFrame f) {
    if (security.admitsArp(t, p, st, f)) {
      answers.arp(t, p, st, f);
    }
  }

  private void ipv4(CompiledTable t, int p, PortState st, ParsedFrame f) {
    if (!security.admitsV4(t, p, st, f)) {
      return;
    }
    if (PortSecurity.fromDhcpClient(f)) {
      answers.dhcp(t, p, st, f);
    } else if (!answers.gatewayPing(t, p, f)) {
      forwarding.forward(t, p, st, f);
    }
  }

  private void ipv6(CompiledTable t, int p, PortState st, ParsedFrame f) {
    if (!security.admitsV6(t, p, st, f)) {
      return;
    }
    int type = f.isIcmpv6() ? f.icmpType() : -1;
    if (type == Icmpv6.NEIGHBOR_SOLICITATION && f.l4Length >= Icmpv6.ND_LENGTH) {
      if (security.admitsSolicitation(st, f)) {
        answers.neighborSolicitation(t, p, st, f);
      }
    } else if (type == Icmpv6.NEIGHBOR_ADVERTISEMENT) {
      answers.neighborAdvertisement();
    } else if (!answers.gatewayPing(t, p, f)) {
      forwarding.forward(t, p, st, f);
    }
  }

  /** An encapsulated packet from the underlay (a full outer IPv4 packet). */
  public void fromUnderlay(byte[] b, int off, int len) {
    fromUnderlay(b, off, len, TraceSink.NONE);
  }

  public void fromUnderlay(byte[] b, int off, int len, TraceSink sink) {
    verdicts.begin(
        probes.any() ? probes.forUnderlay(sink, b, off, len) : sink,
        b != null && off >= 0 && len >= 20 && off + len <= b.length ? Ipv4.src(b, off) : 0);
    try {
      int result = underlay.decapsulate(table, frame, b, off, len);
      if (result < 0) {
        verdicts.frameParsed(underlay.innerParsed);
        verdicts.drop(null, REASONS[-result - 1], underlay.lastProblem);
        return;
      }
      if (verdicts.tracing()) {
        verdicts.step(
            TraceStage.DECAPSULATE,
            "VSID " + underlay.lastVsid + ", inner " + FrameText.describe(frame));
      }
      verdicts.deliver(result, b, frame.offset, frame.length);
    } catch (RuntimeException e) {
      verdicts.drop(null, DropReason.MALFORMED, "unexpected " + e);
    } finally {
      verdicts.end();
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
}
