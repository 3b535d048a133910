package io.weft.dataplane.backend.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few libc calls the Linux backend makes, bound through the FFM API (no JNI). Every call
 * captures {@code errno} into a caller-owned {@link Errno}, so the packet loop reuses one and
 * allocates nothing per call. Structure layouts are x86-64/aarch64 Linux (LP64).
 */
final class Libc {

  static final int O_RDWR = 2;
  static final int O_RDONLY = 0;
  static final int O_NONBLOCK = 0x800;
  static final int O_CLOEXEC = 0x80000;
  static final int F_GETFL = 3;
  static final int F_SETFL = 4;
  static final int EAGAIN = 11;
  static final int EINTR = 4;
  static final int EADDRINUSE = 98;
  static final int AF_INET = 2;
  static final int SOCK_DGRAM = 2;
  static final int SOCK_RAW = 3;
  static final int SOCK_NONBLOCK = 0x800;
  static final int SOCK_CLOEXEC = 0x80000;
  static final int IPPROTO_IP = 0;
  static final int IPPROTO_GRE = 47;
  static final int IPPROTO_UDP = 17;
  static final int IP_HDRINCL = 3;
  static final int SOL_SOCKET = 1;
  static final int SO_RCVBUF = 8;
  static final int SO_SNDBUF = 7;
  static final int SO_RCVBUFFORCE = 33;
  static final int SO_SNDBUFFORCE = 32;
  static final int SO_REUSEADDR = 2;
  static final int MSG_DONTWAIT = 0x40;
  static final int POLLIN = 1;
  static final int EFD_NONBLOCK = 0x800;
  static final int EFD_CLOEXEC = 0x80000;
  static final int CLONE_NEWNET = 0x40000000;

  /** {@code struct sockaddr_in}: family, port (big-endian), address (big-endian), padding. */
  static final int SOCKADDR_IN = 16;

  /** {@code struct iovec}: base pointer, length. */
  static final int IOVEC = 16;

  /** {@code struct mmsghdr}: a {@code struct msghdr} (56 bytes) and {@code msg_len}, padded. */
  static final int MMSGHDR = 64;

  static final int MSG_NAME = 0;
  static final int MSG_NAMELEN = 8;
  static final int MSG_IOV = 16;
  static final int MSG_IOVLEN = 24;
  static final int MSG_CONTROL = 32;
  static final int MSG_CONTROLLEN = 40;

  /** {@code struct cmsghdr}: length (size_t), level, type; data follows at 16. */
  static final int CMSGHDR = 16;

  static final int SOL_UDP = 17;

  /** Send: one message is cut into datagrams of this many bytes (a u16 in the cmsg). */
  static final int UDP_SEGMENT = 103;

  /** Receive: datagrams of one flow arrive joined; the cmsg says their size (an int). */
  static final int UDP_GRO = 104;

  static final int MSG_LEN = 56;

  /** {@code struct pollfd}: fd, events, revents. */
  static final int POLLFD = 8;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();
  private static final StructLayout STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
  private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");

  private static final MethodHandle OPEN =
      bind("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), 2);
  private static final MethodHandle CLOSE =
      bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  private static final MethodHandle IOCTL =
      bind("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), 2);
  private static final MethodHandle FCNTL =
      bind("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), 2);
  private static final MethodHandle READ =
      bind("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
  private static final MethodHandle WRITE =
      bind("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
  private static final MethodHandle SOCKET =
      bind("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
  private static final MethodHandle BIND =
      bind("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
  private static final MethodHandle GETSOCKNAME =
      bind("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
  private static final MethodHandle SETSOCKOPT =
      bind(
          "setsockopt",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
  private static final MethodHandle RECVMMSG =
      bind(
          "recvmmsg",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
  private static final MethodHandle SENDMMSG =
      bind("sendmmsg", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
  private static final MethodHandle POLL =
      bind("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
  private static final MethodHandle EVENTFD =
      bind("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
  private static final MethodHandle SETNS =
      bind("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
  private static final MethodHandle IF_NAMETOINDEX =
      bind("if_nametoindex", FunctionDescriptor.of(JAVA_INT, ADDRESS));

  private Libc() {}

  private static MethodHandle bind(String name, FunctionDescriptor fd, int firstVariadic) {
    return LINKER.downcallHandle(
        LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError(name)),
        fd,
        CAPTURE,
        Linker.Option.firstVariadicArg(firstVariadic));
  }

  private static MethodHandle bind(String name, FunctionDescriptor fd) {
    return LINKER.downcallHandle(
        LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError(name)), fd, CAPTURE);
  }

  /** Where a call leaves {@code errno}; one per thread, reused for every call. */
  static final class Errno {
    final MemorySegment state;

    Errno(Arena arena) {
      state = arena.allocate(STATE);
    }

    int value() {
      return (int) ERRNO.get(state, 0L);
    }
  }

  static int open(Errno e, MemorySegment path, int flags) {
    try {
      return (int) OPEN.invokeExact(e.state, path, flags, 0);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int close(Errno e, int fd) {
    try {
      return (int) CLOSE.invokeExact(e.state, fd);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int ioctl(Errno e, int fd, long request, MemorySegment arg) {
    try {
      return (int) IOCTL.invokeExact(e.state, fd, request, arg);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int fcntl(Errno e, int fd, int cmd, int arg) {
    try {
      return (int) FCNTL.invokeExact(e.state, fd, cmd, arg);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static long read(Errno e, int fd, MemorySegment buf, long count) {
    try {
      return (long) READ.invokeExact(e.state, fd, buf, count);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static long write(Errno e, int fd, MemorySegment buf, long count) {
    try {
      return (long) WRITE.invokeExact(e.state, fd, buf, count);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int socket(Errno e, int domain, int type, int protocol) {
    try {
      return (int) SOCKET.invokeExact(e.state, domain, type, protocol);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int bind(Errno e, int fd, MemorySegment addr, int len) {
    try {
      return (int) BIND.invokeExact(e.state, fd, addr, len);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int getsockname(Errno e, int fd, MemorySegment addr, MemorySegment len) {
    try {
      return (int) GETSOCKNAME.invokeExact(e.state, fd, addr, len);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int setsockopt(Errno e, int fd, int level, int name, MemorySegment value, int len) {
    try {
      return (int) SETSOCKOPT.invokeExact(e.state, fd, level, name, value, len);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int recvmmsg(Errno e, int fd, MemorySegment msgs, int n, int flags) {
    try {
      return (int) RECVMMSG.invokeExact(e.state, fd, msgs, n, flags, MemorySegment.NULL);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int sendmmsg(Errno e, int fd, MemorySegment msgs, int n, int flags) {
    try {
      return (int) SENDMMSG.invokeExact(e.state, fd, msgs, n, flags);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int poll(Errno e, MemorySegment fds, long n, int timeoutMillis) {
    try {
      return (int) POLL.invokeExact(e.state, fds, n, timeoutMillis);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int eventfd(Errno e, int initial, int flags) {
    try {
      return (int) EVENTFD.invokeExact(e.state, initial, flags);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int setns(Errno e, int fd, int type) {
    try {
      return (int) SETNS.invokeExact(e.state, fd, type);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int ifNameToIndex(Errno e, MemorySegment name) {
    try {
      return (int) IF_NAMETOINDEX.invokeExact(e.state, name);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** A readable message for an errno value, e.g. "EPERM (1)". */
  static String describe(int errno) {
    String name =
        switch (errno) {
          case 1 -> "EPERM: operation not permitted (needs CAP_NET_ADMIN/CAP_NET_RAW)";
          case 2 -> "ENOENT: no such file or directory";
          case 13 -> "EACCES: permission denied";
          case 16 -> "EBUSY: device busy (another process holds it)";
          case 19 -> "ENODEV: no such device";
          case 22 -> "EINVAL: invalid argument";
          case 98 -> "EADDRINUSE: address in use";
          case 99 -> "EADDRNOTAVAIL: address not configured here";
          default -> "errno";
        };
    return name + " (" + errno + ")";
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error err) {
      throw err;
    }
    return new IllegalStateException(t);
  }
}
