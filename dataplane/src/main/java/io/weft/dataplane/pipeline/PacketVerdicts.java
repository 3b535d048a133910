package io.weft.dataplane.pipeline;

import io.weft.dataplane.codec.ParsedFrame;
import io.weft.dataplane.pipeline.internal.CompiledTable;
import io.weft.dataplane.pipeline.internal.PortState;
import io.weft.dataplane.pipeline.internal.Underlay;
import io.weft.dataplane.table.IpAddress;
import java.util.function.LongSupplier;

/**
 * Where the switch's packet in hand ends: delivered to a vNIC, wrapped for the underlay, or
 * dropped, with what each leaves behind (port counters, captures, the drop ring, trace steps). It
 * holds what a drop record needs to know of that packet (its port, whether it parsed, its outer
 * source), so every stage of the switch drops through one place. Single writer, like the switch.
 */
final class PacketVerdicts {

  private final SwitchOutput output;
  private final LongSupplier clock;
  private final ParsedFrame frame;
  private final Underlay underlay;
  private final long[] hostDrops;
  private final DropRing drops;
  private CompiledTable table;
  private PortState[] states;
  private FrameTap[] tapsByPort;
  private TraceSink trace = TraceSink.NONE;

  /** The port the current frame came from, -1 for the underlay: for the drop record. */
  private int currentPort = -1;

  /** Whether {@link #frame} holds the current frame (parsed), for the drop record. */
  private boolean frameParsed;

  /** The current underlay packet's source PA, 0 for frames from a vNIC. */
  private int outerSource;

  PacketVerdicts(
      SwitchOutput output,
      LongSupplier clock,
      ParsedFrame frame,
      Underlay underlay,
      long[] hostDrops,
      DropRing drops) {
    this.output = output;
    this.clock = clock;
    this.frame = frame;
    this.underlay = underlay;
    this.hostDrops = hostDrops;
    this.drops = drops;
  }

  /** The table and the per-port state and captures the next packets are judged with. */
  void install(CompiledTable newTable, PortState[] newStates, FrameTap[] newTaps) {
    table = newTable;
    states = newStates;
    tapsByPort = newTaps;
  }

  /** A new packet: from a vNIC ({@code outerSource} 0) or from the underlay. */
  void begin(TraceSink sink, int outerSource) {
    trace = sink;
    currentPort = -1;
    frameParsed = false;
    this.outerSource = outerSource;
  }

  void atPort(int port) {
    currentPort = port;
  }

  void frameParsed(boolean parsed) {
    frameParsed = parsed;
  }

  void end() {
    trace = TraceSink.NONE;
  }

  /** Whether steps are wanted: callers build a step's text only then. */
  boolean tracing() {
    return trace != TraceSink.NONE;
  }

  void deliver(int port, byte[] b, int off, int len) {
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

  /** Sends the frame staged in the underlay's buffer at {@code innerAt} to {@code pa}. */
  void encapsulate(int pa, int vsid, int innerAt, int innerLen) {
    underlay.encapsulate(table, frame, pa, vsid, innerAt, innerLen);
    if (trace != TraceSink.NONE) {
      step(
          TraceStage.ENCAPSULATE,
          (table.vxlan ? "VXLAN VNI " : "NVGRE VSID ") + vsid + " to PA " + IpAddress.v4(pa));
    }
  }

  void drop(PortState st, DropReason reason, String why) {
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

  void step(TraceStage stage, String detail) {
    if (trace != TraceSink.NONE) {
      trace.step(new TraceStep(stage, detail));
    }
  }
}
