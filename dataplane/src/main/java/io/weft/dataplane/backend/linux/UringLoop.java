package io.weft.dataplane.backend.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Linux host's loop on {@link IoUring}: the devices it waits on and the tap writes it queues.
 * Each tap has one multishot read into a shared ring of buffers (a completion per frame, no {@code
 * read(2)}); the underlay socket and the loop's eventfd have a multishot poll each (the underlay is
 * then read with {@code recvmmsg}, a batch per call); tap writes are copied into a staging area and
 * queued, and go to the kernel with the loop's next wait: one {@code io_uring_enter} per round of
 * the loop instead of a {@code poll} plus a system call per frame. A completion's user data says
 * what it is: its kind in the high bits, a tap slot or an underlay generation in the low ones. Tap
 * slots are reused only after their read's last completion, so a late completion never reaches
 * another tap. Used by the loop thread only; nothing is allocated per frame.
 */
final class UringLoop implements HostDevices.Watcher, TapWriter.Syscall {

  private static final Logger LOG = LoggerFactory.getLogger(UringLoop.class);

  static final int WAKE = 1;
  static final int UNDERLAY = 2;
  static final int TAP = 3;
  static final int WRITE = 4;

  private static final int ENTRIES = 256;
  private static final int BUFFERS = 64;

  /** A buffer holds one read: a {@link VnetHeader} and a frame of up to 64 KB. */
  private static final int BUFFER_SIZE = 65_664;

  /** Staging for the tap writes of one round of the loop (more go out at once, unstaged). */
  private static final int STAGING = 4 << 20;

  /** A tap whose read keeps failing this many times in a row is given up (and logged). */
  private static final int MAX_FAILURES = 64;

  private static final int ENOBUFS = 105;
  private static final int ECANCELED = 125;
  private static final int EINTR = 4;

  private final String hostId;
  private final IoUring ring;
  private final BufferRing buffers;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment staging;
  private final Libc.Errno errno = new Libc.Errno(arena);

  private HostDevices.Port[] slots = new HostDevices.Port[8];
  private boolean[] armed = new boolean[8];
  private int[] failures = new int[8];
  private int underlayGeneration;
  private int underlayFd = -1;
  private int wakeFd = -1;

  private int stagingUsed;
  private int writesInFlight;

  /** Writes that could not be staged or queued and went out with {@code write(2)}. */
  long directWrites;

  long readFailures;

  private UringLoop(String hostId, IoUring ring, BufferRing buffers) {
    this.hostId = hostId;
    this.ring = ring;
    this.buffers = buffers;
    this.staging = arena.allocate(STAGING, 64);
  }

  /** A loop on io_uring for host {@code hostId}, or null (logged) when the kernel has none. */
  static UringLoop open(String hostId) {
    IoUring ring = null;
    try {
      ring = IoUring.open(ENTRIES);
      UringLoop loop = new UringLoop(hostId, ring, ring.buffers(BUFFERS, BUFFER_SIZE));
      LOG.info("{}: io_uring loop (multishot tap reads, batched tap writes)", hostId);
      return loop;
    } catch (IOException | RuntimeException e) {
      if (ring != null) {
        ring.close();
      }
      LOG.info("{}: no io_uring ({}), polling and reading per frame", hostId, e.getMessage());
      return null;
    }
  }

  private static long data(int kind, int index) {
    return ((long) kind << 32) | (index & 0xFFFFFFFFL);
  }

  /** On the loop, first: polls the loop's wake-up eventfd. */
  void start(int wakeFd) {
    this.wakeFd = wakeFd;
    ring.pollMultishot(wakeFd, data(WAKE, 0));
  }

  /**
   * Submits what is queued and waits for a completion, or only submits when {@code dontWait}. Tap
   * writes complete at once (a tap takes a frame or drops it), so the wait is for one completion
   * beyond them.
   */
  void await(boolean dontWait) {
    int r = ring.submit(dontWait ? 0 : writesInFlight + 1);
    if (r < 0 && r != -EINTR && r != -16 /* EBUSY: completions first */) {
      LOG.warn("{}: io_uring_enter: {}", hostId, Libc.describe(-r));
    }
  }

  boolean next() {
    return ring.next();
  }

  int kind() {
    return (int) (ring.userData >>> 32);
  }

  private int index() {
    return (int) ring.userData;
  }

  /** After the completions of a round: hands their entries back to the kernel. */
  void released() {
    ring.release();
    if (writesInFlight == 0) {
      stagingUsed = 0;
    }
  }

  /** A poll completion of the wake-up eventfd: polled again if the poll ended. */
  void wakeEvent() {
    if ((ring.flags & IoUring.CQE_F_MORE) == 0) {
      ring.pollMultishot(wakeFd, data(WAKE, 0));
    }
  }

  /** A poll completion of the underlay; true when it is readable (and the poll is current). */
  boolean underlayEvent(UnderlaySocket current) {
    boolean mine = current != null && index() == underlayGeneration && current.fd == underlayFd;
    if (mine && (ring.flags & IoUring.CQE_F_MORE) == 0) {
      ring.pollMultishot(underlayFd, data(UNDERLAY, underlayGeneration));
    }
    return mine && ring.res > 0;
  }

  /** A read completion of a tap: the frame goes to {@code reader}, the buffer back to the ring. */
  void tapEvent(TapReader reader) {
    int slot = index();
    HostDevices.Port port = slot < slots.length ? slots[slot] : null;
    int res = ring.res;
    int flags = ring.flags;
    if ((flags & IoUring.CQE_F_BUFFER) != 0) {
      int id = flags >>> IoUring.CQE_BUFFER_SHIFT;
      if (port != null && res > 0) {
        reader.frame(port.portId(), port.tap().offloads, buffers.data(), buffers.offset(id), res);
      }
      buffers.recycle(id);
    }
    if ((flags & IoUring.CQE_F_MORE) != 0) {
      if (res >= 0) {
        failures[slot] = 0;
      }
      return;
    }
    // The read ended: out of buffers (a burst beyond them), cancelled, or failed.
    armed[slot] = false;
    if (port == null) {
      return;
    }
    if (res < 0 && res != -ENOBUFS && res != -ECANCELED) {
      readFailures++;
      if (++failures[slot] >= MAX_FAILURES) {
        LOG.warn(
            "{}: reads of tap {} keep failing ({}): not reading it any more",
            hostId,
            port.tap(),
            Libc.describe(-res));
        return;
      }
    }
    arm(slot);
  }

  /** A write completion: counts a failed or short write against {@code writer}. */
  void writeEvent(TapWriter writer) {
    writesInFlight--;
    if (ring.res < 0) {
      writer.writeErrors++;
    }
  }

  private void arm(int slot) {
    HostDevices.Port port = slots[slot];
    if (ring.readMultishot(port.tap().fd, 0, data(TAP, slot))) {
      armed[slot] = true;
    } else {
      LOG.warn("{}: io_uring full, tap {} not read", hostId, port.tap());
    }
  }

  @Override
  public void opened(HostDevices.Port port) {
    int slot = 0;
    while (slot < slots.length && (slots[slot] != null || armed[slot])) {
      slot++;
    }
    if (slot == slots.length) {
      slots = Arrays.copyOf(slots, slot * 2);
      armed = Arrays.copyOf(armed, slot * 2);
      failures = Arrays.copyOf(failures, slot * 2);
    }
    slots[slot] = port;
    failures[slot] = 0;
    arm(slot);
  }

  @Override
  public void closing(HostDevices.Port port) {
    ring.submit(); // writes queued for this tap go out before its descriptor does
    for (int slot = 0; slot < slots.length; slot++) {
      if (slots[slot] == port) {
        slots[slot] = null;
        if (armed[slot]) {
          ring.cancelNow(data(TAP, slot));
        }
      }
    }
  }

  @Override
  public void opened(UnderlaySocket underlay) {
    underlayGeneration++;
    underlayFd = underlay.fd;
    ring.pollMultishot(underlayFd, data(UNDERLAY, underlayGeneration));
  }

  @Override
  public void closing(UnderlaySocket underlay) {
    ring.submit();
    ring.cancelNow(data(UNDERLAY, underlayGeneration));
    underlayGeneration++;
    underlayFd = -1;
  }

  /**
   * Queues a tap write: the bytes are copied into the staging area (the caller reuses its buffer)
   * and go to the kernel with the next wait. When staging is full or the ring has no room, what is
   * queued is submitted and this one is written at once, so a tap still gets its frames in order.
   */
  @Override
  public long write(int fd, MemorySegment buffer, long count) {
    int len = (int) count;
    if (stagingUsed + len <= STAGING) {
      MemorySegment.copy(buffer, 0, staging, stagingUsed, len);
      if (ring.write(fd, staging.address() + stagingUsed, len, data(WRITE, 0))) {
        stagingUsed += (len + 63) & ~63;
        writesInFlight++;
        return count;
      }
    }
    ring.submit();
    directWrites++;
    return Libc.write(errno, fd, buffer, count);
  }

  /** On the loop, as it ends (after the devices closed): closes the ring and its buffers. */
  void close() {
    ring.submit();
    ring.close();
    buffers.close();
    arena.close();
  }
}
