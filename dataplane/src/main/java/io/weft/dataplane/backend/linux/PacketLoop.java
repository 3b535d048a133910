package io.weft.dataplane.backend.linux;

import io.weft.dataplane.pipeline.VirtualSwitch;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop thread of one {@link LinuxHost}, the only thread that touches its switch: it waits on
 * the taps, the underlay socket and the wake-up eventfd ({@code io_uring_enter} where the kernel
 * has multishot reads, else {@code poll}), runs the work other threads queued ({@link LoopTasks}),
 * hands the frames that arrived to the switch, and flushes what the switch sent. A frame from the
 * underlay is copied into one reused array, so the loop allocates nothing per frame.
 */
final class PacketLoop {

  private static final Logger LOG = LoggerFactory.getLogger(PacketLoop.class);

  private static final int TAP_BURST = 64;
  private static final int UNDERLAY_ROUNDS = 4;

  private final VirtualSwitch vswitch;
  private final HostDevices devices;
  private final LoopTasks tasks;
  private final TapReader tapReader;
  private final TapWriter tapWriter;
  private final int batch;
  private final Libc.Errno errno;
  private final byte[] frame = new byte[UnderlaySocket.SLOT + 64];
  private final MemorySegment frameView = MemorySegment.ofArray(frame);
  private volatile boolean running = true;

  /** The loop's io_uring (tap reads and writes, polls), or null: it polls and reads per frame. */
  private final UringLoop uring;

  /** Whether the last drain of the underlay stopped with datagrams possibly left. */
  private boolean underlayBacklog;

  /** A loop over {@code devices}; {@code batch} is how many packets one underlay call moves. */
  PacketLoop(
      VirtualSwitch vswitch,
      HostDevices devices,
      LoopTasks tasks,
      TapReader tapReader,
      TapWriter tapWriter,
      UringLoop uring,
      int batch,
      Arena arena) {
    this.vswitch = vswitch;
    this.devices = devices;
    this.tasks = tasks;
    this.tapReader = tapReader;
    this.tapWriter = tapWriter;
    this.uring = uring;
    this.batch = batch;
    this.errno = new Libc.Errno(arena);
  }

  /** Ends the loop at its next round; the caller wakes it ({@link LoopTasks#wake}). */
  void stop() {
    running = false;
  }

  /**
   * The loop thread's body: until {@link #stop}, then closes the devices, the ring and the eventfd.
   */
  void run() {
    if (uring != null) {
      runUring();
      return;
    }
    while (running) {
      int n = devices.poll(errno, 1000);
      if (n < 0 && errno.value() != Libc.EINTR) {
        LOG.warn("poll: {}", Libc.describe(errno.value()));
      }
      tasks.runQueued(devices.woken());
      if (n > 0) {
        if (devices.underlayReadable()) {
          fromUnderlay();
        }
        HostDevices.Port[] ps = devices.polled();
        for (int i = 0; i < ps.length; i++) {
          if (devices.tapReadable(i)) {
            tapReader.drain(ps[i].portId(), ps[i].tap(), TAP_BURST);
          }
        }
      }
      flushUnderlay();
      tapWriter.flush();
    }
    devices.close();
    tasks.close();
  }

  /**
   * The loop on io_uring: one {@code io_uring_enter} submits the tap writes queued in the last
   * round and waits for what comes next (frames read from taps, the underlay or the wake-up
   * becoming readable), so a frame from a VM costs no system call of its own.
   */
  private void runUring() {
    uring.start(tasks.wakeFd());
    while (running) {
      uring.await(underlayBacklog);
      boolean underlayReady = underlayBacklog;
      underlayBacklog = false;
      boolean woken = false;
      while (uring.next()) {
        switch (uring.kind()) {
          case UringLoop.WAKE -> {
            woken = true;
            uring.wakeEvent();
          }
          case UringLoop.UNDERLAY -> underlayReady |= uring.underlayEvent(devices.underlay());
          case UringLoop.TAP -> uring.tapEvent(tapReader);
          case UringLoop.WRITE -> uring.writeEvent(tapWriter);
          default -> {}
        }
      }
      uring.released();
      tasks.runQueued(woken);
      if (underlayReady && devices.underlay() != null) {
        fromUnderlay();
      }
      flushUnderlay();
      tapWriter.flush();
    }
    devices.close();
    uring.close();
    tasks.close();
  }

  private void fromUnderlay() {
    UnderlaySocket u = devices.underlay();
    for (int round = 0; round < UNDERLAY_ROUNDS; round++) {
      int m = u.receive();
      for (int i = 0; i < m; i++) {
        int datagrams = u.datagrams(i);
        for (int j = 0; j < datagrams; j++) {
          int len = u.copyReceived(i, j, frame, frameView);
          vswitch.fromUnderlay(frame, 0, len);
        }
      }
      if (m < batch) {
        return;
      }
    }
    underlayBacklog = true; // more may wait: the poll says so only when more arrives
  }

  void flushUnderlay() {
    UnderlaySocket u = devices.underlay();
    if (u != null) {
      u.flush();
    }
  }
}
