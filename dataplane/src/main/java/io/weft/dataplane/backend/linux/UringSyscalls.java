package io.weft.dataplane.backend.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The system calls behind an {@link IoUring}, bound through the FFM API: {@code io_uring_setup},
 * {@code io_uring_enter} and {@code io_uring_register} through {@code syscall(2)} (libc has no
 * wrappers for them), and the {@code mmap}/{@code munmap} of the rings. One per ring: each call
 * captures {@code errno} into the ring's own state, so a call allocates nothing.
 */
final class UringSyscalls {

  private static final long SYS_SETUP = 425;
  private static final long SYS_ENTER = 426;
  private static final long SYS_REGISTER = 427;

  private static final int PROT_READ_WRITE = 3;
  private static final int MAP_SHARED_POPULATE = 0x01 | 0x8000;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final MethodHandle SYSCALL =
      LINKER.downcallHandle(
          LINKER.defaultLookup().find("syscall").orElseThrow(),
          FunctionDescriptor.of(
              JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
              JAVA_LONG),
          Linker.Option.captureCallState("errno"),
          Linker.Option.firstVariadicArg(1));
  private static final MethodHandle MMAP =
      LINKER.downcallHandle(
          LINKER.defaultLookup().find("mmap").orElseThrow(),
          FunctionDescriptor.of(
              ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
  private static final MethodHandle MUNMAP =
      LINKER.downcallHandle(
          LINKER.defaultLookup().find("munmap").orElseThrow(),
          FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));

  private final MemorySegment state;

  UringSyscalls(Arena arena) {
    state = arena.allocate(STATE);
  }

  /** {@code io_uring_setup}: a new ring's descriptor, or negative (see {@link #errno}). */
  long setup(int entries, MemorySegment params) {
    return syscall(SYS_SETUP, entries, params.address(), 0, 0, 0, 0);
  }

  /** {@code io_uring_enter}: how many entries the kernel took, or negative. */
  long enter(int fd, int toSubmit, int waitFor, int flags) {
    return syscall(SYS_ENTER, fd, toSubmit, waitFor, flags, 0, 0);
  }

  /** {@code io_uring_register}: 0 or more on success, or negative. */
  long register(int fd, int opcode, MemorySegment arg, int count) {
    return syscall(SYS_REGISTER, fd, opcode, arg.address(), count, 0, 0);
  }

  private long syscall(long n, long a, long b, long c, long d, long e, long f) {
    try {
      return (long) SYSCALL.invokeExact(state, n, a, b, c, d, e, f);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** The {@code errno} the last call left. */
  int errno() {
    return (int) ERRNO.get(state, 0L);
  }

  /** Maps {@code size} bytes of the ring {@code fd} at {@code offset}; null when it fails. */
  MemorySegment mmap(int fd, long size, long offset) {
    try {
      MemorySegment m =
          (MemorySegment)
              MMAP.invokeExact(
                  MemorySegment.NULL, size, PROT_READ_WRITE, MAP_SHARED_POPULATE, fd, offset);
      if (m.address() == -1L) {
        return null;
      }
      return m.reinterpret(size);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  static void munmap(MemorySegment m, long size) {
    try {
      int unused = (int) MUNMAP.invokeExact(m, size);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }
}
