package io.weft.dataplane.backend.linux;

import io.weft.dataplane.codec.Udp;
import io.weft.dataplane.table.Encapsulation;
import io.weft.dataplane.table.IpAddress;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The kernel sockets of an {@link UnderlaySocket}, opened and set up: the NVGRE raw socket or a
 * VXLAN UDP socket bound to the PA with deep buffers, VXLAN's senders on ports of the dynamic
 * range, and the UDP offloads where the kernel has them. Each call runs in the caller's network
 * namespace.
 */
final class UnderlayFds {

  private static final int DYNAMIC_PORTS = 49152;
  private static final ValueLayout.OfInt INT_BE =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final ValueLayout.OfShort SHORT_BE =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private UnderlayFds() {}

  /**
   * {@value UnderlaySocket#VXLAN_SOURCE_PORTS} UDP sockets bound to the PA, each on a free port of
   * the dynamic range (starting at a random place in it, so two agents on one machine rarely
   * collide).
   */
  static int[] openSenders(int pa) throws IOException {
    int[] senders = new int[UnderlaySocket.VXLAN_SOURCE_PORTS];
    int candidate = ThreadLocalRandom.current().nextInt(16_384);
    int opened = 0;
    try {
      for (int tries = 0; opened < senders.length && tries < 16_384; tries++) {
        int port = DYNAMIC_PORTS + (candidate++ & 0x3FFF);
        int s = open(Encapsulation.VXLAN, pa, port);
        if (s >= 0) {
          senders[opened++] = s;
        }
      }
      if (opened < senders.length) {
        throw new IOException("no free UDP ports left in 49152-65535 on the PA to send VXLAN from");
      }
      return senders;
    } catch (IOException e) {
      try (Arena arena = Arena.ofConfined()) {
        Libc.Errno errno = new Libc.Errno(arena);
        for (int i = 0; i < opened; i++) {
          Libc.close(errno, senders[i]);
        }
      }
      throw e;
    }
  }

  static int localPort(int fd) {
    try (Arena arena = Arena.ofConfined()) {
      Libc.Errno errno = new Libc.Errno(arena);
      MemorySegment addr = arena.allocate(Libc.SOCKADDR_IN);
      MemorySegment len = arena.allocate(ValueLayout.JAVA_INT);
      len.set(ValueLayout.JAVA_INT, 0, Libc.SOCKADDR_IN);
      if (Libc.getsockname(errno, fd, addr, len) != 0) {
        return -1;
      }
      return addr.get(SHORT_BE, 2) & 0xFFFF;
    }
  }

  /**
   * Turns on receiving joined datagrams ({@code UDP_GRO}) and checks that sending with {@code
   * UDP_SEGMENT} is known; false (plain datagrams) on a kernel without them (before 5.0).
   */
  static boolean udpOffloads(int fd) {
    try (Arena arena = Arena.ofConfined()) {
      Libc.Errno errno = new Libc.Errno(arena);
      MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
      value.set(ValueLayout.JAVA_INT, 0, 0);
      if (Libc.setsockopt(errno, fd, Libc.SOL_UDP, Libc.UDP_SEGMENT, value, 4) != 0) {
        return false;
      }
      value.set(ValueLayout.JAVA_INT, 0, 1);
      return Libc.setsockopt(errno, fd, Libc.SOL_UDP, Libc.UDP_GRO, value, 4) == 0;
    }
  }

  /**
   * Opens the NVGRE raw socket or a VXLAN UDP socket on the PA: the receiving one on 4789 ({@code
   * port} -1), or a sender on {@code port}, which answers -1 when that port is taken.
   */
  static int open(Encapsulation encapsulation, int pa, int port) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      Libc.Errno errno = new Libc.Errno(arena);
      boolean vxlan = encapsulation == Encapsulation.VXLAN;
      int fd =
          vxlan
              ? Libc.socket(errno, Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0)
              : Libc.socket(
                  errno, Libc.AF_INET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.IPPROTO_GRE);
      if (fd < 0) {
        throw new IOException(
            (vxlan ? "UDP" : "raw GRE") + " socket: " + Libc.describe(errno.value()));
      }
      MemorySegment one = arena.allocate(ValueLayout.JAVA_INT);
      one.set(ValueLayout.JAVA_INT, 0, 1);
      if (!vxlan) {
        Libc.setsockopt(errno, fd, Libc.IPPROTO_IP, Libc.IP_HDRINCL, one, 4);
      }
      MemorySegment size = arena.allocate(ValueLayout.JAVA_INT);
      size.set(ValueLayout.JAVA_INT, 0, 8 << 20);
      // Deep buffers absorb bursts while the loop is busy; FORCE works with CAP_NET_ADMIN.
      if (Libc.setsockopt(errno, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, size, 4) != 0) {
        Libc.setsockopt(errno, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, size, 4);
      }
      if (Libc.setsockopt(errno, fd, Libc.SOL_SOCKET, Libc.SO_SNDBUFFORCE, size, 4) != 0) {
        Libc.setsockopt(errno, fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF, size, 4);
      }
      MemorySegment addr = arena.allocate(Libc.SOCKADDR_IN);
      addr.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_INET);
      addr.set(SHORT_BE, 2, (short) (vxlan ? (port < 0 ? Udp.PORT_VXLAN : port) : 0));
      addr.set(INT_BE, 4, pa);
      if (Libc.bind(errno, fd, addr, Libc.SOCKADDR_IN) != 0) {
        int err = errno.value();
        Libc.close(errno, fd);
        if (port >= 0 && err == Libc.EADDRINUSE) {
          return -1;
        }
        throw new IOException(
            "bind to PA " + IpAddress.v4(pa) + (vxlan ? ":4789" : "") + ": " + Libc.describe(err));
      }
      return fd;
    }
  }
}
