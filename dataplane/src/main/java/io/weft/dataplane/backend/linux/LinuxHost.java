package io.weft.dataplane.backend.linux;

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
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One host on the Linux backend: a {@link VirtualSwitch} whose ports are TAP devices and whose
 * underlay is an NVGRE raw socket or a VXLAN UDP socket. One platform thread per host waits on the
 * taps, the underlay socket and a wake-up eventfd, and is the only thread that touches the switch
 * (single writer, as on the memory backend). Where the kernel has io_uring with multishot reads
 * (Linux 6.7) it waits in {@code io_uring_enter} ({@link UringLoop}): frames from taps arrive as
 * completions and tap writes are queued, so a frame costs no system call of its own; elsewhere it
 * polls and reads and writes each frame with a system call. The packet path reuses its buffers: a
 * frame is read into an off-heap buffer, copied into one reused array for the switch, and written
 * out from an off-heap buffer, so forwarding allocates nothing. With tap offloads (the default) a
 * VM's TCP super-frames are cut into segments before the switch ({@link TapReader}) and segments
 * bound for a VM are joined again after it ({@link TapWriter}), so a tap system call moves up to 64
 * KB while the switch and the underlay see wire-sized frames. The loop thread is {@link
 * PacketLoop}.
 */
public final class LinuxHost implements HostBackend, SwitchOutput {

  /** The largest frame a tap hands over: an Ethernet header and a 64 KB IP packet. */
  private static final int MAX_FRAME = 14 + 65_535;

  /**
   * How a host reaches the world: the network namespace its underlay socket lives in (null: the
   * agent's own), where each port's tap is, how many packets one underlay system call moves, and
   * whether taps use segmentation and checksum offload ({@code IFF_VNET_HDR}, {@code
   * TUNSETOFFLOAD}: TCP super-frames in both directions, cut and joined by the agent).
   */
  public record Options(String underlayNetns, TapLocator taps, int batch, boolean tapOffloads) {
    public Options(String underlayNetns, TapLocator taps, int batch) {
      this(underlayNetns, taps, batch, true);
    }

    public static Options defaults() {
      return new Options(null, TapLocator.byPortId(), 32);
    }
  }

  private final VirtualSwitch vswitch;
  private final Arena arena = Arena.ofShared();
  private final TapWriter tapWriter;
  private final TapReader tapReader;
  private final LoopTasks tasks;
  private final HostDevices devices;
  private final List<PcapWriter> captures = new ArrayList<>();
  private final Set<String> capturedPorts = ConcurrentHashMap.newKeySet();
  private final LinuxCaptures boundedCaptures;
  private final PacketLoop packets;
  private final Thread loop;
  private volatile IpAddress pa;

  /**
   * Whether hosts use io_uring where the kernel has it ({@code -Dweft.linux.uring=false} or {@code
   * WEFT_LINUX_URING=false}: the poll loop with one {@code read}/{@code write} per frame).
   */
  static boolean uringWanted() {
    String v = System.getProperty("weft.linux.uring", System.getenv("WEFT_LINUX_URING"));
    return v == null || !v.equalsIgnoreCase("false");
  }

  /**
   * Links the native calls and makes a first one. A cold JVM spends a few hundred milliseconds on
   * that, so a restarting agent does it on another core while it reads its kept table.
   */
  public static void prepare() {
    try (Arena a = Arena.ofConfined()) {
      Libc.Errno e = new Libc.Errno(a);
      int fd = Libc.eventfd(e, 0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
      if (fd >= 0) {
        Libc.close(e, fd);
      }
    }
  }

  /** Starts the host's loop; ports and the underlay socket open as {@code initial} says. */
  public LinuxHost(HostTable initial, LeaseAuthority leases, Options options) throws IOException {
    this.pa = initial.localPa();
    this.tasks = new LoopTasks(arena);
    this.devices = new HostDevices(options, tasks.wakeFd());
    this.vswitch = new VirtualSwitch(initial, this, leases, System::nanoTime);
    this.tapReader = new TapReader(arena, MAX_FRAME, vswitch::fromPort);
    UringLoop uring = uringWanted() ? UringLoop.open(initial.hostId()) : null;
    this.tapWriter =
        uring == null ? new TapWriter(arena, MAX_FRAME) : new TapWriter(arena, MAX_FRAME, uring);
    if (uring != null) {
      devices.watch(uring);
    }
    this.boundedCaptures = new LinuxCaptures(this, options.underlayNetns());
    this.packets =
        new PacketLoop(
            vswitch, devices, tasks, tapReader, tapWriter, uring, options.batch(), arena);
    this.loop =
        Thread.ofPlatform().daemon().name("weft-linux-" + initial.hostId()).unstarted(packets::run);
    tasks.runOn(loop);
    loop.start();
    install(initial).join();
  }

  @Override
  public IpAddress pa() {
    return pa;
  }

  /** Ports whose tap could not be opened, and an underlay that could not be bound, with why. */
  public Map<String, String> problems() {
    return devices.problems();
  }

  /** The tap interface of a port, or null while it has none. */
  public CompletableFuture<String> tapName(String portId) {
    return onLoop(() -> {
      TapDevice tap = devices.tap(portId);
      return tap == null ? null : tap.name;
    });
  }

  @Override
  public CompletableFuture<Void> install(HostTable table) {
    return onLoop(() -> {
      vswitch.install(table);
      tapReader.overlayMtu = table.overlayMtu();
      pa = table.localPa();
      tapWriter.flush(); // a run may be bound for a tap about to close
      devices.sync(table);
      return null;
    });
  }

  @Override
  public DropRing drops() {
    return vswitch.drops();
  }

  @Override
  public CompletableFuture<CounterSnapshot> counters() {
    return onLoop(vswitch::counters);
  }

  /** What the host's devices did beyond forwarding: errors, and the work offloads saved. */
  public CompletableFuture<DeviceStats> deviceStats() {
    return onLoop(() -> {
      UnderlaySocket underlay = devices.underlay();
      return new DeviceStats(
          underlay == null ? 0 : underlay.sendErrors,
          tapWriter.writeErrors,
          tapReader.superFrames,
          tapReader.segments,
          tapWriter.superFrames,
          tapWriter.joinedSegments,
          tapReader.badOffloads,
          underlay == null ? 0 : underlay.segmentedSends,
          underlay == null ? 0 : underlay.joinedReceives);
    });
  }

  @Override
  public CompletableFuture<Map<String, Long>> deviceCounters() {
    return deviceStats().thenApply(DeviceStats::counters);
  }

  @Override
  public CompletableFuture<IpAddress> leasedAddress(String portId) {
    return onLoop(() -> vswitch.leasedAddress(portId));
  }

  @Override
  public CompletableFuture<List<TraceStep>> injectProbe(String portId, byte[] frame) {
    return onLoop(() -> {
      List<TraceStep> steps = new ArrayList<>();
      vswitch.fromPort(portId, frame, 0, frame.length, steps::add);
      packets.flushUnderlay();
      tapWriter.flush();
      return steps;
    });
  }

  @Override
  public io.weft.dataplane.pipeline.ProbeWatches probes() {
    return vswitch.probes();
  }

  @Override
  public CompletableFuture<Void> capturePort(String portId, Path file) throws IOException {
    PcapWriter w = new PcapWriter(file, PcapWriter.ETHERNET);
    synchronized (captures) {
      captures.add(w);
    }
    capturedPorts.add(portId);
    return onLoop(() -> {
      vswitch.tapPort(portId, w);
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> captureUnderlay(Path file) throws IOException {
    PcapWriter w = new PcapWriter(file, PcapWriter.RAW_IP);
    synchronized (captures) {
      captures.add(w);
    }
    return onLoop(() -> {
      vswitch.tapUnderlay(w);
      return null;
    });
  }

  @Override
  public CompletableFuture<String> attachCapture(String portId, BoundedCapture capture) {
    return boundedCaptures.attach(portId, capture);
  }

  @Override
  public CompletableFuture<Void> detachCapture(String portId, BoundedCapture capture) {
    return boundedCaptures.detach(portId, capture);
  }

  @Override
  public CompletableFuture<String> portProblem(String portId) {
    return boundedCaptures.portProblem(portId);
  }

  /** The tap of a port (on the loop), or null when the port has none here. */
  TapDevice tapOnLoop(String portId) {
    return devices.tap(portId);
  }

  VirtualSwitch switchOnLoop() {
    return vswitch;
  }

  @Override
  public void stopCaptures() throws IOException {
    boundedCaptures.stopKernelCaptures();
    onLoop(
            () -> {
              vswitch.tapUnderlay(null);
              for (String id : capturedPorts) {
                vswitch.tapPort(id, null);
              }
              return null;
            })
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
    TapDevice tap = devices.tap(portId);
    if (tap == null) {
      return;
    }
    tapWriter.write(tap.fd, tap.offloads, buffer, offset, length);
  }

  @Override
  public void toUnderlay(int dstPa, byte[] buffer, int offset, int length) {
    UnderlaySocket u = devices.underlay();
    if (u != null) {
      u.send(dstPa, buffer, offset, length);
    }
  }

  <T> CompletableFuture<T> onLoop(Supplier<T> work) {
    return tasks.submit(work);
  }

  /**
   * Stops the loop and closes the agent's side of every tap; the taps stay (persistent), so the VMs
   * keep their interfaces and a restarted agent attaches to them again.
   */
  @Override
  public void close() throws IOException {
    stopCaptures();
    packets.stop();
    tasks.wake();
    try {
      loop.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (!loop.isAlive()) {
      arena.close();
    }
  }
}
