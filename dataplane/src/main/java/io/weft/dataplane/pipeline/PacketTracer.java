package io.weft.dataplane.pipeline;

import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the real switch code over any table, e.g. the fabric's intended one, and reports every
 * decision and what would leave the host. Diagnostics chains hops: an encapsulated packet from one
 * host's trace is the input of {@link #traceUnderlay} on the destination host's table.
 */
public final class PacketTracer {

  private PacketTracer() {}

  /** Where a traced frame went: to a local vNIC port or to the underlay towards a PA. */
  public record Emitted(boolean toUnderlay, String portId, IpAddress pa, byte[] bytes) {}

  /** The decisions for one frame and the frames/packets it produced. */
  public record TraceReport(List<TraceStep> steps, List<Emitted> emitted) {

    public boolean dropped() {
      return steps.stream().anyMatch(s -> s.stage() == TraceStage.DROP);
    }
  }

  /** Traces {@code frame} as if the VM on {@code portId} sent it, on a host with {@code table}. */
  public static TraceReport trace(HostTable table, String portId, byte[] frame) {
    Recorder r = new Recorder();
    new VirtualSwitch(table, r, LeaseAuthority.TABLE_ONLY, System::nanoTime)
        .fromPort(portId, frame, 0, frame.length, r.steps::add);
    return new TraceReport(List.copyOf(r.steps), List.copyOf(r.emitted));
  }

  /** Traces an encapsulated packet arriving from the underlay at a host with {@code table}. */
  public static TraceReport traceUnderlay(HostTable table, byte[] packet) {
    Recorder r = new Recorder();
    new VirtualSwitch(table, r, LeaseAuthority.TABLE_ONLY, System::nanoTime)
        .fromUnderlay(packet, 0, packet.length, r.steps::add);
    return new TraceReport(List.copyOf(r.steps), List.copyOf(r.emitted));
  }

  private static final class Recorder implements SwitchOutput {
    final List<TraceStep> steps = new ArrayList<>();
    final List<Emitted> emitted = new ArrayList<>();

    @Override
    public void toPort(String portId, byte[] buffer, int offset, int length) {
      emitted.add(new Emitted(false, portId, null, copy(buffer, offset, length)));
    }

    @Override
    public void toUnderlay(int pa, byte[] buffer, int offset, int length) {
      emitted.add(new Emitted(true, null, IpAddress.v4(pa), copy(buffer, offset, length)));
    }

    private static byte[] copy(byte[] b, int off, int len) {
      byte[] c = new byte[len];
      System.arraycopy(b, off, c, 0, len);
      return c;
    }
  }
}
