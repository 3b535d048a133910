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
import io.weft.dataplane.table.PortEntry;
import io.weft.dataplane.table.VmNetworkTable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One host on the Linux backend: a {@link VirtualSwitch} whose ports are TAP devices and whose
 * underlay is an NVGRE raw socket or a VXLAN UDP socket. One platform thread per host polls the
 * taps, the underlay socket and a wake-up eventfd, and is the only thread that touches the switch
 * (single writer, as on the memory backend). The packet path reuses its buffers: a frame is read
 * into an off-heap buffer, copied into one reused array for the switch, and written out from an
 * off-heap buffer, so forwarding allocates nothing. With tap offloads (the default) a VM's TCP
 * super-frames are cut into segments before the switch ({@link TapReader}) and segments bound for a
 * VM are joined again after it ({@link TapWriter}), so a tap system call moves up to 64 KB while
 * the switch and the underlay see wire-sized frames.
 */
public final class LinuxHost implements HostBackend, SwitchOutput {

  private static final Logger LOG = LoggerFactory.getLogger(LinuxHost.class);

  /** The largest frame a tap hands over: an Ethernet header and a 64 KB IP packet. */
  private static final int MAX_FRAME = 14 + 65_535;

  private static final int TAP_BURST = 64;
  private static final int UNDERLAY_ROUNDS = 4;

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

  private record Port(String portId, TapDevice tap) {}

  private final Options options;
  private final VirtualSwitch vswitch;
  private final Arena arena = Arena.ofShared();
  private final Libc.Errno errno = new Libc.Errno(arena);
  private final Libc.Errno wakeErrno = new Libc.Errno(arena);
  private final MemorySegment wakeValue = arena.allocate(8, 8);
  private final MemorySegment wakeDrain = arena.allocate(8, 8);
  private final byte[] frame = new byte[UnderlaySocket.SLOT + 64];
  private final MemorySegment frameView = MemorySegment.ofArray(frame);
  private final TapWriter tapWriter = new TapWriter(arena, MAX_FRAME);
  private final TapReader tapReader;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final Map<String, Port> ports = new HashMap<>();
  private final Map<String, String> problems = new ConcurrentHashMap<>();
  private final List<PcapWriter> captures = new ArrayList<>();
  private final Set<String> capturedPorts = ConcurrentHashMap.newKeySet();
  private final LinuxCaptures boundedCaptures;
  private final int wakeFd;
  private final Thread loop;
  private volatile IpAddress pa;
  private volatile boolean running = true;
  private Port[] polled = new Port[0];
  private MemorySegment pollFds;
  private int pollCount;
  private UnderlaySocket underlay;

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
    this.options = options;
    this.pa = initial.localPa();
    this.wakeFd = Libc.eventfd(errno, 0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
    if (wakeFd < 0) {
      throw new IOException("eventfd: " + Libc.describe(errno.value()));
    }
    wakeValue.set(ValueLayout.JAVA_LONG, 0, 1L);
    this.vswitch = new VirtualSwitch(initial, this, leases, System::nanoTime);
    this.tapReader = new TapReader(arena, MAX_FRAME, vswitch::fromPort);
    this.boundedCaptures = new LinuxCaptures(this, options.underlayNetns());
    rebuildPoll();
    this.loop =
        Thread.ofPlatform().daemon().name("weft-linux-" + initial.hostId()).start(this::run);
    install(initial).join();
  }

  @Override
  public IpAddress pa() {
    return pa;
  }

  /** Ports whose tap could not be opened, and an underlay that could not be bound, with why. */
  public Map<String, String> problems() {
    return Map.copyOf(problems);
  }

  /** The tap interface of a port, or null while it has none. */
  public CompletableFuture<String> tapName(String portId) {
    return onLoop(() -> {
      Port p = ports.get(portId);
      return p == null ? null : p.tap().name;
    });
  }

  @Override
  public CompletableFuture<Void> install(HostTable table) {
    return onLoop(() -> {
      vswitch.install(table);
      tapReader.overlayMtu = table.overlayMtu();
      pa = table.localPa();
      syncDevices(table);
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
    return onLoop(() ->
        new DeviceStats(
            underlay == null ? 0 : underlay.sendErrors,
            tapWriter.writeErrors,
            tapReader.superFrames,
            tapReader.segments,
            tapWriter.superFrames,
            tapWriter.joinedSegments,
            tapReader.badOffloads,
            underlay == null ? 0 : underlay.segmentedSends,
            underlay == null ? 0 : underlay.joinedReceives));
  }

  @Override
  public CompletableFuture<Map<String, Long>> deviceCounters() {
    return deviceStats()
        .thenApply(d -> {
          Map<String, Long> m = new java.util.LinkedHashMap<>();
          m.put("underlay_send_errors", d.underlaySendErrors());
          m.put("tap_write_errors", d.tapWriteErrors());
          m.put("tap_super_frames_read", d.superFramesRead());
          m.put("tap_segments_cut", d.segmentsCut());
          m.put("tap_super_frames_written", d.superFramesWritten());
          m.put("tap_segments_joined", d.segmentsJoined());
          m.put("tap_bad_offloads", d.badOffloads());
          return m;
        });
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
      flushUnderlay();
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
    Port p = ports.get(portId);
    return p == null ? null : p.tap();
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

  // ---- the loop thread ----

  private void run() {
    while (running) {
      int n = Libc.poll(errno, pollFds, pollCount, 1000);
      if (n < 0 && errno.value() != Libc.EINTR) {
        LOG.warn("poll: {}", Libc.describe(errno.value()));
      }
      if (revents(0) != 0) {
        Libc.read(errno, wakeFd, wakeDrain, 8);
      }
      runTasks();
      if (n > 0) {
        if (underlay != null && revents(1) != 0) {
          fromUnderlay();
        }
        Port[] ps = polled;
        for (int i = 0; i < ps.length; i++) {
          if (revents(i + 2) != 0) {
            tapReader.drain(ps[i].portId(), ps[i].tap(), TAP_BURST);
          }
        }
      }
      flushUnderlay();
      tapWriter.flush();
    }
    closeDevices();
  }

  private short revents(int i) {
    return pollFds.get(ValueLayout.JAVA_SHORT, (long) Libc.POLLFD * i + 6);
  }

  private void fromUnderlay() {
    UnderlaySocket u = underlay;
    for (int round = 0; round < UNDERLAY_ROUNDS; round++) {
      int m = u.receive();
      for (int i = 0; i < m; i++) {
        int datagrams = u.datagrams(i);
        for (int j = 0; j < datagrams; j++) {
          int len = u.copyReceived(i, j, frame, frameView);
          vswitch.fromUnderlay(frame, 0, len);
        }
      }
      if (m < options.batch()) {
        return;
      }
    }
  }

  private void flushUnderlay() {
    if (underlay != null) {
      underlay.flush();
    }
  }

  @Override
  public void toPort(String portId, byte[] buffer, int offset, int length) {
    Port p = ports.get(portId);
    if (p == null) {
      return;
    }
    tapWriter.write(p.tap().fd, p.tap().offloads, buffer, offset, length);
  }

  @Override
  public void toUnderlay(int dstPa, byte[] buffer, int offset, int length) {
    if (underlay != null) {
      underlay.send(dstPa, buffer, offset, length);
    }
  }

  private void runTasks() {
    Runnable r;
    while ((r = tasks.poll()) != null) {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.warn("task on the switch loop failed", e);
      }
    }
  }

  <T> CompletableFuture<T> onLoop(java.util.function.Supplier<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Runnable task =
        () -> {
          try {
            result.complete(work.get());
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        };
    if (Thread.currentThread() == loop) { // e.g. a lease listener: waiting would deadlock
      task.run();
      return result;
    }
    tasks.add(task);
    Libc.write(wakeErrno, wakeFd, wakeValue, 8);
    return result;
  }

  /** Opens the underlay socket and the taps the table needs, closes what it no longer lists. */
  private void syncDevices(HostTable table) {
    tapWriter.flush(); // a run may be bound for a tap about to close
    int wantedPa = table.localPa().v4Bits();
    if (table.generation() > 0
        && (underlay == null
            || underlay.pa != wantedPa
            || underlay.encapsulation != table.encapsulation())) {
      if (underlay != null) {
        underlay.close();
        underlay = null;
      }
      try {
        underlay =
            UnderlaySocket.open(
                table.encapsulation(), wantedPa, options.underlayNetns(), options.batch());
        problems.remove("underlay");
        LOG.info(
            "{}: {} underlay on {}{}",
            table.hostId(),
            table.encapsulation(),
            table.localPa(),
            (underlay.offloads() ? " (UDP segmentation offload)" : "")
                + (underlay.sourcePorts.length > 0
                    ? ", sending from UDP ports " + java.util.Arrays.toString(underlay.sourcePorts)
                    : ""));
      } catch (IOException e) {
        problems.put("underlay", e.getMessage());
        LOG.warn("{}: no underlay, not forwarding off-host: {}", table.hostId(), e.getMessage());
      }
    }
    Set<String> wanted = new LinkedHashSet<>();
    for (VmNetworkTable n : table.networks()) {
      for (PortEntry p : n.ports()) {
        wanted.add(p.portId());
      }
    }
    for (var it = ports.entrySet().iterator(); it.hasNext(); ) {
      Port p = it.next().getValue();
      if (!wanted.contains(p.portId())) {
        p.tap().close(true);
        it.remove();
        LOG.info("port {} left the table: closed tap {}", p.portId(), p.tap());
      }
    }
    for (String id : wanted) {
      if (ports.containsKey(id)) {
        continue;
      }
      TapLocator.Location at = options.taps().locate(id);
      try {
        TapDevice tap = TapDevice.open(at.ifName(), at.netns(), options.tapOffloads());
        ports.put(id, new Port(id, tap));
        problems.remove(id);
        LOG.info("port {}: {} tap {}", id, tap.created ? "created" : "attached to", tap);
      } catch (IOException e) {
        problems.put(id, e.getMessage());
        LOG.warn("port {}: cannot open tap {}: {}", id, at.ifName(), e.getMessage());
      }
    }
    rebuildPoll();
  }

  private void rebuildPoll() {
    Port[] ps = ports.values().toArray(Port[]::new);
    // Auto arena: an old array is freed once the loop no longer polls it.
    MemorySegment fds = Arena.ofAuto().allocate((long) Libc.POLLFD * (ps.length + 2), 8);
    fds.set(ValueLayout.JAVA_INT, 0, wakeFd);
    fds.set(ValueLayout.JAVA_SHORT, 4, (short) Libc.POLLIN);
    fds.set(ValueLayout.JAVA_INT, Libc.POLLFD, underlay == null ? -1 : underlay.fd);
    fds.set(ValueLayout.JAVA_SHORT, Libc.POLLFD + 4, (short) Libc.POLLIN);
    for (int i = 0; i < ps.length; i++) {
      fds.set(ValueLayout.JAVA_INT, (long) Libc.POLLFD * (i + 2), ps[i].tap().fd);
      fds.set(ValueLayout.JAVA_SHORT, (long) Libc.POLLFD * (i + 2) + 4, (short) Libc.POLLIN);
    }
    polled = ps;
    pollFds = fds;
    pollCount = ps.length + 2;
  }

  private void closeDevices() {
    for (Port p : ports.values()) {
      p.tap().close(false); // persistent: the VM keeps its interface while the agent is away
    }
    ports.clear();
    if (underlay != null) {
      underlay.close();
      underlay = null;
    }
    Libc.close(errno, wakeFd);
  }

  /**
   * Stops the loop and closes the agent's side of every tap; the taps stay (persistent), so the VMs
   * keep their interfaces and a restarted agent attaches to them again.
   */
  @Override
  public void close() throws IOException {
    stopCaptures();
    running = false;
    Libc.write(wakeErrno, wakeFd, wakeValue, 8);
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
