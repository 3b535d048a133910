package io.weft.dataplane.backend.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Buffers the kernel picks from for an {@link IoUring}'s reads ({@code IORING_REGISTER_PBUF_RING},
 * group 0): a read completion names the buffer it filled, which the reader hands back with {@link
 * #recycle} once it has copied the frame out.
 */
final class BufferRing implements AutoCloseable {

  /** {@code struct io_uring_buf}: address, length, buffer id; the ring's tail overlays entry 0. */
  private static final int BUF = 16;

  private static final VarHandle SHORT = ValueLayout.JAVA_SHORT.varHandle();

  private final Arena arena = Arena.ofShared();
  private final MemorySegment ring;
  private final MemorySegment data;
  private final int count;
  private final int size;
  private final int mask;
  private short tail;

  /**
   * Registers {@code count} buffers of {@code size} bytes with {@code uring}; see {@link
   * IoUring#buffers}.
   */
  BufferRing(IoUring uring, int count, int size) throws IOException {
    this.count = count;
    this.size = size;
    this.mask = count - 1;
    this.ring = arena.allocate((long) BUF * count, 4096);
    this.data = arena.allocate((long) size * count, 4096);
    MemorySegment reg = arena.allocate(40, 8);
    reg.set(JAVA_LONG, 0, ring.address());
    reg.set(JAVA_INT, 8, count);
    reg.set(ValueLayout.JAVA_SHORT, 12, (short) 0);
    long r = uring.registerBufferRing(reg);
    if (r < 0) {
      int e = uring.errno();
      arena.close();
      throw new IOException("IORING_REGISTER_PBUF_RING: " + Libc.describe(e));
    }
    for (int i = 0; i < count; i++) {
      put(i);
    }
    publish();
  }

  /** Buffer {@code id}'s memory. */
  MemorySegment data() {
    return data;
  }

  /** Where buffer {@code id} starts in {@link #data}. */
  long offset(int id) {
    return (long) size * id;
  }

  int size() {
    return size;
  }

  private void put(int id) {
    long o = (long) BUF * (tail & mask);
    ring.set(JAVA_LONG, o, data.address() + (long) size * id);
    ring.set(JAVA_INT, o + 8, size);
    ring.set(ValueLayout.JAVA_SHORT, o + 12, (short) id);
    tail++;
  }

  private void publish() {
    SHORT.setRelease(ring, 14L, tail);
  }

  /** Hands buffer {@code id} back to the kernel. */
  void recycle(int id) {
    put(id);
    publish();
  }

  int count() {
    return count;
  }

  @Override
  public void close() {
    arena.close();
  }
}
