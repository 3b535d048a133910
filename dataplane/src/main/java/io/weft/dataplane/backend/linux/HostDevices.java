package io.weft.dataplane.backend.linux;

import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.PortEntry;
import io.weft.dataplane.table.VmNetworkTable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devices a Linux host forwards through, as its table lists them: one TAP device per port and
 * one underlay socket (an NVGRE raw socket or a VXLAN UDP socket), opened and closed on the loop
 * thread as tables come; what could not be opened stays a problem until it opens. Also the poll set
 * the loop waits on: the loop's wake-up eventfd, the underlay, then every tap.
 */
final class HostDevices {

  private static final Logger LOG = LoggerFactory.getLogger(HostDevices.class);

  /** A port of the table and the tap it forwards through. */
  record Port(String portId, TapDevice tap) {}

  /**
   * Told when a device opens and before it closes (the loop's {@link IoUring} arms reads and polls
   * on them, and must end those before the file descriptor goes).
   */
  interface Watcher {
    void opened(Port port);

    void closing(Port port);

    void opened(UnderlaySocket underlay);

    void closing(UnderlaySocket underlay);
  }

  private static final Watcher NO_WATCHER =
      new Watcher() {
        @Override
        public void opened(Port port) {}

        @Override
        public void closing(Port port) {}

        @Override
        public void opened(UnderlaySocket underlay) {}

        @Override
        public void closing(UnderlaySocket underlay) {}
      };

  private Watcher watcher = NO_WATCHER;

  private final LinuxHost.Options options;
  private final int wakeFd;
  private final Map<String, Port> ports = new HashMap<>();
  private final Map<String, String> problems = new ConcurrentHashMap<>();
  private UnderlaySocket underlay;
  private Port[] polled = new Port[0];
  private MemorySegment pollFds;
  private int pollCount;

  /** No devices yet; the poll set holds the loop's wake-up {@code wakeFd}. */
  HostDevices(LinuxHost.Options options, int wakeFd) {
    this.options = options;
    this.wakeFd = wakeFd;
    rebuildPoll();
  }

  /** From now on, tells {@code w} about devices opening and closing (on the loop thread). */
  void watch(Watcher w) {
    this.watcher = w;
  }

  /** Ports whose tap could not be opened, and an underlay that could not be bound, with why. */
  Map<String, String> problems() {
    return Map.copyOf(problems);
  }

  /** The underlay socket, or null while there is none. */
  UnderlaySocket underlay() {
    return underlay;
  }

  /** The tap of a port, or null when the port has none here. */
  TapDevice tap(String portId) {
    Port p = ports.get(portId);
    return p == null ? null : p.tap();
  }

  /** Opens the underlay socket and the taps the table needs, closes what it no longer lists. */
  void sync(HostTable table) {
    syncUnderlay(table);
    syncTaps(table);
    rebuildPoll();
  }

  private void syncUnderlay(HostTable table) {
    int wantedPa = table.localPa().v4Bits();
    if (table.generation() <= 0
        || (underlay != null
            && underlay.pa == wantedPa
            && underlay.encapsulation == table.encapsulation())) {
      return;
    }
    if (underlay != null) {
      watcher.closing(underlay);
      underlay.close();
      underlay = null;
    }
    try {
      underlay =
          UnderlaySocket.open(
              table.encapsulation(), wantedPa, options.underlayNetns(), options.batch());
      problems.remove("underlay");
      watcher.opened(underlay);
      LOG.info(
          "{}: {} underlay on {}{}",
          table.hostId(),
          table.encapsulation(),
          table.localPa(),
          (underlay.offloads() ? " (UDP segmentation offload)" : "")
              + (underlay.sourcePorts.length > 0
                  ? ", sending from UDP ports " + Arrays.toString(underlay.sourcePorts)
                  : ""));
    } catch (IOException e) {
      problems.put("underlay", e.getMessage());
      LOG.warn("{}: no underlay, not forwarding off-host: {}", table.hostId(), e.getMessage());
    }
  }

  private void syncTaps(HostTable table) {
    Set<String> wanted = new LinkedHashSet<>();
    for (VmNetworkTable n : table.networks()) {
      for (PortEntry p : n.ports()) {
        wanted.add(p.portId());
      }
    }
    for (var it = ports.entrySet().iterator(); it.hasNext(); ) {
      Port p = it.next().getValue();
      if (!wanted.contains(p.portId())) {
        watcher.closing(p);
        p.tap().close(true);
        it.remove();
        LOG.info("port {} left the table: closed tap {}", p.portId(), p.tap());
      }
    }
    for (String id : wanted) {
      if (!ports.containsKey(id)) {
        open(id);
      }
    }
  }

  private void open(String portId) {
    TapLocator.Location at = options.taps().locate(portId);
    try {
      TapDevice tap = TapDevice.open(at.ifName(), at.netns(), options.tapOffloads());
      Port port = new Port(portId, tap);
      ports.put(portId, port);
      problems.remove(portId);
      watcher.opened(port);
      LOG.info("port {}: {} tap {}", portId, tap.created ? "created" : "attached to", tap);
    } catch (IOException e) {
      problems.put(portId, e.getMessage());
      LOG.warn("port {}: cannot open tap {}: {}", portId, at.ifName(), e.getMessage());
    }
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

  /** Waits up to {@code timeoutMillis} for a device (or the wake-up) to be readable. */
  int poll(Libc.Errno errno, int timeoutMillis) {
    return Libc.poll(errno, pollFds, pollCount, timeoutMillis);
  }

  /** After {@link #poll}: whether the loop was woken. */
  boolean woken() {
    return revents(0) != 0;
  }

  /** After {@link #poll}: whether the underlay has datagrams waiting. */
  boolean underlayReadable() {
    return underlay != null && revents(1) != 0;
  }

  /** The ports polled, in the order of {@link #tapReadable}. */
  Port[] polled() {
    return polled;
  }

  /** After {@link #poll}: whether the tap of {@code polled()[i]} has frames waiting. */
  boolean tapReadable(int i) {
    return revents(i + 2) != 0;
  }

  private short revents(int i) {
    return pollFds.get(ValueLayout.JAVA_SHORT, (long) Libc.POLLFD * i + 6);
  }

  /** Closes the agent's side of every tap (they persist for the VMs) and the underlay socket. */
  void close() {
    for (Port p : ports.values()) {
      watcher.closing(p);
      p.tap().close(false); // persistent: the VM keeps its interface while the agent is away
    }
    ports.clear();
    if (underlay != null) {
      watcher.closing(underlay);
      underlay.close();
      underlay = null;
    }
  }

  /** The ports with an open tap. */
  java.util.Collection<Port> ports() {
    return ports.values();
  }
}
