package io.weft.dataplane.backend.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A minimal {@code io_uring} (Linux 6.7 or later for multishot reads) through the FFM API, for the
 * loop thread of one host: one system call submits the queued work and waits for completions,
 * instead of one system call per frame. What the Linux backend uses: a multishot read per tap
 * ({@code IORING_OP_READ_MULTISHOT}) into a ring of provided buffers, so frames a VM sends arrive
 * as completions without a {@code read(2)} each; a multishot poll on the underlay socket and the
 * loop's eventfd; and tap writes queued as {@code IORING_OP_WRITE} entries, submitted with the next
 * wait. The rings are shared memory with the kernel: entries are written with plain stores and
 * published with a release store of the tail; completions are read after an acquire load of the
 * tail and released with a release store of the head. Nothing is allocated per operation. Used by
 * one thread only (the kernel's rings are single-producer, single-consumer on our side). The system
 * calls themselves are in {@link UringSyscalls}, the read buffers in {@link BufferRing}.
 */
final class IoUring implements AutoCloseable {

  static final byte OP_POLL_ADD = 6;
  static final byte OP_ASYNC_CANCEL = 14;
  static final byte OP_WRITE = 23;
  static final byte OP_READ_MULTISHOT = 49;

  static final byte SQE_BUFFER_SELECT = 32;
  static final byte SQE_CQE_SKIP_SUCCESS = 64;

  static final int CQE_F_BUFFER = 1;
  static final int CQE_F_MORE = 2;
  static final int CQE_BUFFER_SHIFT = 16;

  private static final int POLL_ADD_MULTI = 1;
  private static final int ENTER_GETEVENTS = 1;
  private static final int FEAT_SINGLE_MMAP = 1;
  private static final int SETUP_CQSIZE = 1 << 3;

  /** Completions are not forced on the thread with an interrupt; they wait for its next entry. */
  private static final int SETUP_COOP_TASKRUN = 1 << 8;

  private static final int REGISTER_PBUF_RING = 22;
  private static final int REGISTER_SYNC_CANCEL = 24;
  private static final int REGISTER_PROBE = 8;
  private static final long OFF_SQES = 0x10000000L;

  private static final int PARAMS = 120;
  private static final int SQE = 64;
  private static final int CQE = 16;

  private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

  private final Arena arena = Arena.ofShared();
  private final UringSyscalls calls = new UringSyscalls(arena);
  private final int fd;
  private final MemorySegment ringMap;
  private final long ringMapSize;
  private final MemorySegment sqeMap;
  private final long sqeMapSize;
  private final long sqHead;
  private final long sqTail;
  private final int sqMask;
  private final int sqEntries;
  private final long cqHead;
  private final long cqTail;
  private final int cqMask;
  private final long cqes;
  private final MemorySegment cancelReg;

  /** Entries written since the last submit, and the tail they will be published with. */
  private int sqLocalTail;

  private int toSubmit;

  /** The completion being looked at ({@link #next}), as an index into the completion ring. */
  private int cqLocalHead;

  private int cqSeenTail;

  /** Fields of the completion {@link #next} moved to. */
  long userData;

  int res;
  int flags;

  private IoUring(int entries) throws IOException {
    MemorySegment p = arena.allocate(PARAMS, 8);
    p.set(JAVA_INT, 8, SETUP_CQSIZE | SETUP_COOP_TASKRUN);
    p.set(JAVA_INT, 4, entries * 8);
    long r = calls.setup(entries, p);
    if (r < 0) {
      throw new IOException("io_uring_setup: " + Libc.describe(errno()));
    }
    fd = (int) r;
    int sqRingEntries = p.get(JAVA_INT, 0);
    int cqRingEntries = p.get(JAVA_INT, 4);
    int features = p.get(JAVA_INT, 20);
    if ((features & FEAT_SINGLE_MMAP) == 0) {
      closeFd();
      throw new IOException("io_uring without IORING_FEAT_SINGLE_MMAP");
    }
    int sqArray = p.get(JAVA_INT, 40 + 24);
    int cqesOff = p.get(JAVA_INT, 80 + 20);
    ringMapSize = Math.max(sqArray + 4L * sqRingEntries, cqesOff + (long) CQE * cqRingEntries);
    sqeMapSize = (long) SQE * sqRingEntries;
    ringMap = calls.mmap(fd, ringMapSize, 0);
    sqeMap = calls.mmap(fd, sqeMapSize, OFF_SQES);
    if (ringMap == null || sqeMap == null) {
      closeFd();
      throw new IOException("io_uring mmap failed");
    }
    sqHead = p.get(JAVA_INT, 40);
    sqTail = p.get(JAVA_INT, 44);
    sqMask = ringMap.get(JAVA_INT, p.get(JAVA_INT, 48));
    sqEntries = ringMap.get(JAVA_INT, p.get(JAVA_INT, 52));
    cqHead = p.get(JAVA_INT, 80);
    cqTail = p.get(JAVA_INT, 84);
    cqMask = ringMap.get(JAVA_INT, p.get(JAVA_INT, 88));
    cqes = cqesOff;
    for (int i = 0; i < sqEntries; i++) { // slot i of the ring is always entry i
      ringMap.set(JAVA_INT, sqArray + 4L * i, i);
    }
    sqLocalTail = (int) INT.getAcquire(ringMap, sqTail);
    cqLocalHead = (int) INT.getAcquire(ringMap, cqHead);
    cqSeenTail = cqLocalHead;
    cancelReg = arena.allocate(64, 8);
  }

  /**
   * A ring with {@code entries} submission entries (a power of two) and eight times as many
   * completions, or an exception saying why there is none (an old kernel, io_uring disabled by
   * {@code kernel.io_uring_disabled}, seccomp, or no multishot reads).
   */
  static IoUring open(int entries) throws IOException {
    IoUring ring = new IoUring(entries);
    try {
      if (!ring.supports(OP_READ_MULTISHOT)) {
        throw new IOException("io_uring without IORING_OP_READ_MULTISHOT (Linux 6.7)");
      }
      return ring;
    } catch (IOException | RuntimeException e) {
      ring.close();
      throw e;
    }
  }

  /** Whether the kernel knows {@code opcode} ({@code IORING_REGISTER_PROBE}). */
  private boolean supports(int opcode) {
    int ops = 64;
    MemorySegment probe = arena.allocate(16 + 8L * ops, 8);
    if (calls.register(fd, REGISTER_PROBE, probe, ops) < 0) {
      return false;
    }
    int last = probe.get(ValueLayout.JAVA_BYTE, 0) & 0xFF;
    if (opcode > last) {
      return false;
    }
    short opFlags = probe.get(ValueLayout.JAVA_SHORT, 16 + 8L * opcode + 2);
    return (opFlags & 1) != 0; // IO_URING_OP_SUPPORTED
  }

  int errno() {
    return calls.errno();
  }

  /** A ring of {@code count} buffers of {@code size} bytes the kernel reads into, as group 0. */
  BufferRing buffers(int count, int size) throws IOException {
    return new BufferRing(this, count, size);
  }

  /** Registers the buffer ring {@code reg} describes as group 0; negative on failure. */
  long registerBufferRing(MemorySegment reg) {
    return calls.register(fd, REGISTER_PBUF_RING, reg, 1);
  }

  private long sqeOffset() {
    return (long) SQE * (sqLocalTail & sqMask);
  }

  private boolean ensureRoom() {
    if (sqLocalTail - (int) INT.getAcquire(ringMap, sqHead) < sqEntries) {
      return true;
    }
    submit();
    return sqLocalTail - (int) INT.getAcquire(ringMap, sqHead) < sqEntries;
  }

  private long begin(byte opcode, int fd, long userData) {
    long o = sqeOffset();
    for (int i = 0; i < SQE; i += 8) {
      sqeMap.set(JAVA_LONG, o + i, 0L);
    }
    sqeMap.set(ValueLayout.JAVA_BYTE, o, opcode);
    sqeMap.set(JAVA_INT, o + 4, fd);
    sqeMap.set(JAVA_LONG, o + 32, userData);
    return o;
  }

  private void queued() {
    sqLocalTail++;
    toSubmit++;
  }

  /** Queues a multishot read of {@code fd} into buffers of {@code group}; false when full. */
  boolean readMultishot(int fd, int group, long userData) {
    if (!ensureRoom()) {
      return false;
    }
    long o = begin(OP_READ_MULTISHOT, fd, userData);
    sqeMap.set(ValueLayout.JAVA_BYTE, o + 1, SQE_BUFFER_SELECT);
    sqeMap.set(ValueLayout.JAVA_SHORT, o + 40, (short) group);
    queued();
    return true;
  }

  /** Queues a multishot poll for {@code POLLIN} on {@code fd}; false when full. */
  boolean pollMultishot(int fd, long userData) {
    if (!ensureRoom()) {
      return false;
    }
    long o = begin(OP_POLL_ADD, fd, userData);
    sqeMap.set(JAVA_INT, o + 24, POLL_ADD_MULTI);
    sqeMap.set(JAVA_INT, o + 28, Libc.POLLIN);
    queued();
    return true;
  }

  /** Queues a write of {@code len} bytes at {@code address} to {@code fd}; false when full. */
  boolean write(int fd, long address, int len, long userData) {
    if (!ensureRoom()) {
      return false;
    }
    long o = begin(OP_WRITE, fd, userData);
    sqeMap.set(JAVA_LONG, o + 16, address);
    sqeMap.set(JAVA_INT, o + 24, len);
    queued();
    return true;
  }

  /**
   * Cancels the requests with {@code userData} and returns once they have ended ({@code
   * IORING_REGISTER_SYNC_CANCEL}); their last completion ({@code -ECANCELED}) still follows.
   * Returns 0, or a negative errno ({@code -ENOENT}: nothing was pending).
   */
  int cancelNow(long userData) {
    cancelReg.fill((byte) 0);
    cancelReg.set(JAVA_LONG, 0, userData);
    cancelReg.set(JAVA_INT, 8, -1);
    cancelReg.set(JAVA_LONG, 16, -1L); // no timeout
    cancelReg.set(JAVA_LONG, 24, -1L);
    long r = calls.register(fd, REGISTER_SYNC_CANCEL, cancelReg, 1);
    return r < 0 ? -errno() : 0;
  }

  /** Publishes what was queued and submits it, without waiting. */
  int submit() {
    return enter(0, 0);
  }

  /**
   * Publishes what was queued, submits it, and waits until {@code waitFor} completions are there
   * (0: collects those ready, without waiting).
   */
  int submit(int waitFor) {
    return enter(waitFor, ENTER_GETEVENTS);
  }

  private int enter(int waitFor, int flags) {
    INT.setRelease(ringMap, sqTail, sqLocalTail);
    int n = toSubmit;
    long r = calls.enter(fd, n, waitFor, flags);
    if (r >= 0) {
      toSubmit -= (int) r;
      return (int) r;
    }
    return -errno();
  }

  /** Entries queued and not yet taken by the kernel. */
  int pending() {
    return toSubmit;
  }

  /**
   * Moves to the next completion ({@link #userData}, {@link #res}, {@link #flags}); false when none
   * is waiting. {@link #release} hands the ones read back to the kernel.
   */
  boolean next() {
    if (cqLocalHead == cqSeenTail) {
      cqSeenTail = (int) INT.getAcquire(ringMap, cqTail);
      if (cqLocalHead == cqSeenTail) {
        return false;
      }
    }
    long o = cqes + (long) CQE * (cqLocalHead & cqMask);
    userData = ringMap.get(JAVA_LONG, o);
    res = ringMap.get(JAVA_INT, o + 8);
    flags = ringMap.get(JAVA_INT, o + 12);
    cqLocalHead++;
    return true;
  }

  /** Frees the completion entries read so far for the kernel. */
  void release() {
    INT.setRelease(ringMap, cqHead, cqLocalHead);
  }

  private void closeFd() {
    try (Arena a = Arena.ofConfined()) {
      Libc.close(new Libc.Errno(a), fd);
    }
  }

  @Override
  public void close() {
    if (ringMap != null) {
      UringSyscalls.munmap(ringMap, ringMapSize);
    }
    if (sqeMap != null) {
      UringSyscalls.munmap(sqeMap, sqeMapSize);
    }
    closeFd();
    arena.close();
  }
}
