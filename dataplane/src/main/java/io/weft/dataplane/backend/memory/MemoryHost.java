package io.weft.dataplane.backend.memory;

import io.weft.dataplane.backend.HostBackend;
import io.weft.dataplane.capture.BoundedCapture;
import io.weft.dataplane.capture.PcapWriter;
import io.weft.dataplane.pipeline.CounterSnapshot;
import io.weft.dataplane.pipeline.DropRing;
import io.weft.dataplane.pipeline.LeaseAuthority;
import io.weft.dataplane.pipeline.SwitchOutput;
import io.weft.dataplane.pipeline.TraceStep;
import io.weft.dataplane.pipeline.VirtualSwitch;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * One host on the memory backend: a {@link VirtualSwitch} whose ports are {@link PortEndpoint}s and
 * whose underlay is a {@link MemoryUnderlay}. Every switch call runs on {@code loop}, a single
 * thread (possibly shared by several hosts), which keeps the switch single-writer; the public
 * methods may be called from any thread.
 */
public final class MemoryHost implements HostBackend, SwitchOutput {

  private final Executor loop;
  private final MemoryUnderlay underlay;
  private final VirtualSwitch vswitch;
  private final Map<String, PortEndpoint> endpoints = new ConcurrentHashMap<>();
  private final List<PcapWriter> captures = new ArrayList<>();
  private final java.util.Set<String> capturedPorts = ConcurrentHashMap.newKeySet();
  private final int pa;
  private volatile Thread loopThread;

  public MemoryHost(
      HostTable initial, MemoryUnderlay underlay, Executor loop, LeaseAuthority leases) {
    this.loop = loop;
    this.underlay = underlay;
    this.pa = initial.localPa().v4Bits();
    this.vswitch = new VirtualSwitch(initial, this, leases, System::nanoTime);
    loop.execute(() -> loopThread = Thread.currentThread());
    underlay.register(
        pa, packet -> loop.execute(() -> vswitch.fromUnderlay(packet, 0, packet.length)));
  }

  @Override
  public IpAddress pa() {
    return IpAddress.v4(pa);
  }

  /** Connects a VM (or test) to the port; frames for it arrive at {@code endpoint}. */
  public void attach(String portId, PortEndpoint endpoint) {
    endpoints.put(portId, endpoint);
  }

  public void detach(String portId) {
    endpoints.remove(portId);
  }

  /** A frame the VM on {@code portId} sends; the array must not be reused by the caller. */
  public void send(String portId, byte[] frame) {
    loop.execute(() -> vswitch.fromPort(portId, frame, 0, frame.length));
  }

  /** Installs a table (already validated by the agent) on the loop thread. */
  @Override
  public CompletableFuture<Void> install(HostTable table) {
    if (Thread.currentThread() == loopThread) { // e.g. a lease listener: waiting would deadlock
      vswitch.install(table);
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.runAsync(() -> vswitch.install(table), loop);
  }

  @Override
  public DropRing drops() {
    return vswitch.drops();
  }

  @Override
  public CompletableFuture<CounterSnapshot> counters() {
    return CompletableFuture.supplyAsync(vswitch::counters, loop);
  }

  @Override
  public CompletableFuture<IpAddress> leasedAddress(String portId) {
    return CompletableFuture.supplyAsync(() -> vswitch.leasedAddress(portId), loop);
  }

  /**
   * Injects a frame at {@code portId} as if the VM had sent it (a live probe) and returns every
   * decision this host took for it; what it sends onwards really goes out.
   */
  @Override
  public CompletableFuture<List<TraceStep>> injectProbe(String portId, byte[] frame) {
    return CompletableFuture.supplyAsync(
        () -> {
          List<TraceStep> steps = new ArrayList<>();
          vswitch.fromPort(portId, frame, 0, frame.length, steps::add);
          return steps;
        },
        loop);
  }

  @Override
  public io.weft.dataplane.pipeline.ProbeWatches probes() {
    return vswitch.probes();
  }

  /** Starts a pcap capture of a port (Ethernet) into {@code file}; stopped by {@link #close()}. */
  @Override
  public CompletableFuture<Void> capturePort(String portId, Path file) throws IOException {
    PcapWriter w = new PcapWriter(file, PcapWriter.ETHERNET);
    synchronized (captures) {
      captures.add(w);
    }
    capturedPorts.add(portId);
    return CompletableFuture.runAsync(() -> vswitch.tapPort(portId, w), loop);
  }

  /** Starts a pcap capture of this host's underlay traffic (raw IPv4) into {@code file}. */
  @Override
  public CompletableFuture<Void> captureUnderlay(Path file) throws IOException {
    PcapWriter w = new PcapWriter(file, PcapWriter.RAW_IP);
    synchronized (captures) {
      captures.add(w);
    }
    return CompletableFuture.runAsync(() -> vswitch.tapUnderlay(w), loop);
  }

  @Override
  public CompletableFuture<String> attachCapture(String portId, BoundedCapture capture) {
    return CompletableFuture.supplyAsync(
        () -> {
          vswitch.attachCapture(portId, capture);
          return "switch";
        },
        loop);
  }

  @Override
  public CompletableFuture<Void> detachCapture(String portId, BoundedCapture capture) {
    return CompletableFuture.runAsync(() -> vswitch.detachCapture(portId, capture), loop);
  }

  /** Stops all captures (flushing them) without stopping forwarding. */
  @Override
  public void stopCaptures() throws IOException {
    CompletableFuture.runAsync(
            () -> {
              vswitch.tapUnderlay(null);
              for (String id : capturedPorts) {
                vswitch.tapPort(id, null);
              }
            },
            loop)
        .join();
    capturedPorts.clear();
    synchronized (captures) {
      for (PcapWriter w : captures) {
        w.close();
      }
      captures.clear();
    }
  }

  @Override
  public void toPort(String portId, byte[] buffer, int offset, int length) {
    PortEndpoint e = endpoints.get(portId);
    if (e != null) {
      byte[] copy = new byte[length];
      System.arraycopy(buffer, offset, copy, 0, length);
      e.receive(copy);
    }
  }

  @Override
  public void toUnderlay(int dstPa, byte[] buffer, int offset, int length) {
    underlay.send(dstPa, buffer, offset, length);
  }

  @Override
  public void close() throws IOException {
    underlay.unregister(pa);
    stopCaptures();
  }
}
