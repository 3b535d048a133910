package io.weft.dataplane.backend.linux;

import io.weft.dataplane.codec.Ipv4;
import io.weft.dataplane.codec.Udp;
import io.weft.dataplane.table.Encapsulation;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The host's socket on the provider network, with batched I/O ({@code recvmmsg}/{@code sendmmsg})
 * over off-heap buffers that live as long as the socket. NVGRE: a raw IP-protocol-47 socket with
 * {@code IP_HDRINCL}, bound to the PA, so the pipeline's outer IPv4 header goes out as built and a
 * received packet arrives whole. VXLAN: a UDP socket bound to PA:4789; the kernel strips and adds
 * the outer IPv4/UDP headers, so a received datagram gets a synthetic outer header in front (the
 * pipeline checks one format) and a sent one leaves its first 28 bytes behind. Used by the loop
 * thread only.
 */
final class UnderlaySocket implements AutoCloseable {

  /**
   * Bytes per batch slot: the largest outer packet on a 9000-byte jumbo underlay, and then some.
   */
  static final int SLOT = 9216;

  private static final int OUTER_UDP = Ipv4.MIN_HEADER + Udp.HEADER;
  private static final ValueLayout.OfInt INT_BE =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final ValueLayout.OfShort SHORT_BE =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  final Encapsulation encapsulation;
  final int pa;
  final int fd;
  private final boolean vxlan;
  private final int batch;
  private final Arena arena = Arena.ofShared();
  private final Libc.Errno errno = new Libc.Errno(arena);
  private final MemorySegment rxMsgs;
  private final MemorySegment rxSlots;
  private final MemorySegment rxNames;
  private final MemorySegment txMsgs;
  private final MemorySegment[] txMsgFrom;
  private final MemorySegment txSlots;
  private final MemorySegment txIov;
  private final MemorySegment txNames;
  private int txCount;
  long sendErrors;
  int lastSendErrno;

  private UnderlaySocket(Encapsulation encapsulation, int pa, int fd, int batch) {
    this.encapsulation = encapsulation;
    this.pa = pa;
    this.fd = fd;
    this.vxlan = encapsulation == Encapsulation.VXLAN;
    this.batch = batch;
    rxMsgs = arena.allocate((long) Libc.MMSGHDR * batch, 8);
    MemorySegment rxIov = arena.allocate((long) Libc.IOVEC * batch, 8);
    rxNames = arena.allocate((long) Libc.SOCKADDR_IN * batch, 8);
    rxSlots = arena.allocate((long) SLOT * batch, 64);
    txMsgs = arena.allocate((long) Libc.MMSGHDR * batch, 8);
    txMsgFrom = new MemorySegment[batch];
    txIov = arena.allocate((long) Libc.IOVEC * batch, 8);
    txNames = arena.allocate((long) Libc.SOCKADDR_IN * batch, 8);
    txSlots = arena.allocate((long) SLOT * batch, 64);
    int skip = vxlan ? OUTER_UDP : 0; // VXLAN: the kernel's UDP header goes in front
    for (int i = 0; i < batch; i++) {
      long slot = (long) SLOT * i;
      rxIov.set(ValueLayout.ADDRESS, (long) Libc.IOVEC * i, rxSlots.asSlice(slot + skip));
      rxIov.set(ValueLayout.JAVA_LONG, (long) Libc.IOVEC * i + 8, SLOT - skip);
      header(rxMsgs, i, rxNames, rxIov);
      txIov.set(ValueLayout.ADDRESS, (long) Libc.IOVEC * i, txSlots.asSlice(slot));
      header(txMsgs, i, txNames, txIov);
      txMsgFrom[i] = txMsgs.asSlice((long) Libc.MMSGHDR * i);
      txNames.set(ValueLayout.JAVA_SHORT, (long) Libc.SOCKADDR_IN * i, (short) Libc.AF_INET);
      txNames.set(SHORT_BE, (long) Libc.SOCKADDR_IN * i + 2, (short) (vxlan ? Udp.PORT_VXLAN : 0));
    }
  }

  private static void header(MemorySegment msgs, int i, MemorySegment names, MemorySegment iov) {
    long m = (long) Libc.MMSGHDR * i;
    msgs.set(ValueLayout.ADDRESS, m + Libc.MSG_NAME, names.asSlice((long) Libc.SOCKADDR_IN * i));
    msgs.set(ValueLayout.JAVA_INT, m + Libc.MSG_NAMELEN, Libc.SOCKADDR_IN);
    msgs.set(ValueLayout.ADDRESS, m + Libc.MSG_IOV, iov.asSlice((long) Libc.IOVEC * i));
    msgs.set(ValueLayout.JAVA_LONG, m + Libc.MSG_IOVLEN, 1L);
  }

  /** Opens the socket for {@code encapsulation} on {@code pa}, in namespace {@code netns}. */
  static UnderlaySocket open(Encapsulation encapsulation, int pa, String netns, int batch)
      throws IOException {
    int fd = Netns.run(netns, () -> openHere(encapsulation, pa));
    return new UnderlaySocket(encapsulation, pa, fd, batch);
  }

  private static int openHere(Encapsulation encapsulation, int pa) throws IOException {
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
      addr.set(SHORT_BE, 2, (short) (vxlan ? Udp.PORT_VXLAN : 0));
      addr.set(INT_BE, 4, pa);
      if (Libc.bind(errno, fd, addr, Libc.SOCKADDR_IN) != 0) {
        int err = errno.value();
        Libc.close(errno, fd);
        throw new IOException(
            "bind to PA "
                + io.weft.dataplane.table.IpAddress.v4(pa)
                + (vxlan ? ":4789" : "")
                + ": "
                + Libc.describe(err));
      }
      return fd;
    }
  }

  /**
   * Receives up to one batch without waiting; returns how many packets arrived (0 when none). Read
   * packet {@code i} with {@link #copyReceived}.
   */
  int receive() {
    for (int i = 0; i < batch; i++) {
      rxMsgs.set(ValueLayout.JAVA_INT, (long) Libc.MMSGHDR * i + Libc.MSG_NAMELEN, 16);
    }
    int n = Libc.recvmmsg(errno, fd, rxMsgs, batch, Libc.MSG_DONTWAIT);
    return Math.max(n, 0);
  }

  /**
   * Copies received packet {@code i}, as a whole outer IPv4 packet, into {@code dst} (viewed also
   * as {@code dstSegment}); returns its length.
   */
  int copyReceived(int i, byte[] dst, MemorySegment dstSegment) {
    int len = rxMsgs.get(ValueLayout.JAVA_INT, (long) Libc.MMSGHDR * i + Libc.MSG_LEN);
    long slot = (long) SLOT * i;
    if (!vxlan) {
      int n = Math.min(len, dst.length);
      MemorySegment.copy(rxSlots, slot, dstSegment, 0, n);
      return n;
    }
    int n = Math.min(len, dst.length - OUTER_UDP);
    MemorySegment.copy(rxSlots, slot + OUTER_UDP, dstSegment, OUTER_UDP, n);
    long name = (long) Libc.SOCKADDR_IN * i;
    int srcPort = rxNames.get(SHORT_BE, name + 2) & 0xFFFF;
    int src = rxNames.get(INT_BE, name + 4);
    int total = OUTER_UDP + n;
    Ipv4.writeHeader(dst, 0, total, 0, 64, Ipv4.PROTO_UDP, src, pa);
    Udp.writeHeader(dst, Ipv4.MIN_HEADER, srcPort, Udp.PORT_VXLAN, Udp.HEADER + n);
    return total;
  }

  /** Queues one outer IPv4 packet for {@code dstPa}; sends the batch when it is full. */
  void send(int dstPa, byte[] b, int off, int len) {
    int skip = vxlan ? OUTER_UDP : 0;
    int payload = len - skip;
    if (payload <= 0 || payload > SLOT) {
      sendErrors++;
      return;
    }
    int i = txCount;
    MemorySegment.copy(b, off + skip, txSlots, ValueLayout.JAVA_BYTE, (long) SLOT * i, payload);
    txIov.set(ValueLayout.JAVA_LONG, (long) Libc.IOVEC * i + 8, payload);
    txNames.set(INT_BE, (long) Libc.SOCKADDR_IN * i + 4, dstPa);
    if (++txCount == batch) {
      flush();
    }
  }

  /** Sends what is queued. */
  void flush() {
    int sent = 0;
    while (sent < txCount) {
      int n = Libc.sendmmsg(errno, fd, txMsgFrom[sent], txCount - sent, 0);
      if (n <= 0) {
        int e = errno.value();
        if (n < 0 && e == Libc.EINTR) {
          continue;
        }
        // An unreachable or refused destination fails only its own message: skip it, send on.
        lastSendErrno = e;
        sendErrors++;
        sent++;
        continue;
      }
      sent += n;
    }
    txCount = 0;
  }

  @Override
  public void close() {
    Libc.close(errno, fd);
    arena.close();
  }
}
