package io.weft.dataplane.backend;

import io.weft.dataplane.capture.BoundedCapture;
import io.weft.dataplane.pipeline.CounterSnapshot;
import io.weft.dataplane.pipeline.DropRing;
import io.weft.dataplane.pipeline.TraceStep;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a host's {@link io.weft.dataplane.pipeline.VirtualSwitch} meets the world: its vNIC ports,
 * its underlay and its captures. Each backend runs the switch on one thread of its own (single
 * writer); these methods may be called from any thread and hand the work to that thread.
 * Implementations: {@code backend.memory} (ports and underlay in one JVM) and {@code backend.linux}
 * (TAP devices and NVGRE/VXLAN sockets).
 */
public interface HostBackend extends AutoCloseable {

  /** The provider address this host sends from and receives on. */
  IpAddress pa();

  /**
   * Forwards with {@code table} (already validated) from now on, opening ports the table adds and
   * closing those it removes; completes once it is in force.
   */
  CompletableFuture<Void> install(HostTable table);

  CompletableFuture<CounterSnapshot> counters();

  /** The address the DHCP responder leased to a port, or null. */
  CompletableFuture<IpAddress> leasedAddress(String portId);

  /**
   * Injects a frame at {@code portId} as if the VM had sent it (a live probe) and returns every
   * decision this host took for it; what it sends onwards really goes out.
   */
  CompletableFuture<List<TraceStep>> injectProbe(String portId, byte[] frame);

  /**
   * The live probes this host's switch records (frames carrying a watched {@link
   * io.weft.dataplane.pipeline.ProbeSignature}); any thread may add or remove a watch.
   */
  io.weft.dataplane.pipeline.ProbeWatches probes();

  /** Starts a pcap capture of a port (Ethernet) into {@code file}. */
  CompletableFuture<Void> capturePort(String portId, Path file) throws IOException;

  /** Starts a pcap capture of this host's underlay traffic (raw IPv4) into {@code file}. */
  CompletableFuture<Void> captureUnderlay(Path file) throws IOException;

  /**
   * Devices this host could not create or open, by port id (and {@code "underlay"} for the underlay
   * socket), with why; the agent refuses a table that names one. Empty by default.
   */
  default java.util.Map<String, String> problems() {
    return java.util.Map.of();
  }

  /**
   * What the host's devices did beyond forwarding, by counter name ({@code tap_write_errors},
   * {@code underlay_send_errors}, ...): I/O errors and offload work. Empty when it has no devices.
   */
  default CompletableFuture<java.util.Map<String, Long>> deviceCounters() {
    return CompletableFuture.completedFuture(java.util.Map.of());
  }

  /** The switch's recent drops (readable from any thread); null when the backend keeps none. */
  default DropRing drops() {
    return null;
  }

  /**
   * Puts a bounded capture on a port's frames (both directions) or, with {@code portId} null, on
   * the underlay; completes with where it is taken, in words ("switch", or the kernel's packet
   * socket and its BPF filter), or exceptionally when the port is not here or another capture runs
   * there.
   */
  CompletableFuture<String> attachCapture(String portId, BoundedCapture capture);

  /** Takes the capture off again; once complete, nothing writes into it any more. */
  CompletableFuture<Void> detachCapture(String portId, BoundedCapture capture);

  /**
   * What is wrong with a port for its VM to take frames, in words (e.g. its interface is down in
   * the VM), or null when nothing is known to be wrong; asked when a probe was delivered and no
   * reply came. Null by default.
   */
  default CompletableFuture<String> portProblem(String portId) {
    return CompletableFuture.completedFuture(null);
  }

  /** Stops all captures (flushing them) without stopping forwarding. */
  void stopCaptures() throws IOException;

  @Override
  void close() throws IOException;
}
