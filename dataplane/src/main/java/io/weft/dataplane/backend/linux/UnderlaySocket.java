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
 *
 * <p>VXLAN with UDP segmentation offload ({@code UDP_SEGMENT}, {@code UDP_GRO}, where the kernel
 * has them): consecutive packets to one PA of one size (the segments of a TCP super-frame, or a
 * flood of equal datagrams) are queued as one message that the kernel cuts into datagrams as late
 * as it can (on a real NIC, in hardware), and datagrams of one flow arrive joined, with their size:
 * one system call and one trip through the stacks per 64 KB instead of per packet. NVGRE has no
 * such offload for a raw socket.
 *
 * <p>VXLAN source ports (RFC 7348 §5: from a hash of the inner frame, in 49152–65535, so that
 * routers spreading flows over paths by their UDP ports see entropy): the pipeline writes its flow
 * hash into the outer header's source port, but a UDP socket sends from the port it is bound to. So
 * VXLAN sends go through {@value #VXLAN_SOURCE_PORTS} sockets bound to the PA and one port each in
 * that range, picked by the flow hash: one flow always leaves from one port, different flows from
 * up to {@value #VXLAN_SOURCE_PORTS}. The socket on 4789 only receives.
 */
final class UnderlaySocket implements AutoCloseable {

  /**
   * Bytes per batch slot: the largest outer packet on a 9000-byte jumbo underlay, and then some.
   */
  static final int SLOT = 9216;

  /** A slot that holds a whole UDP GSO message: at most a 64 KB IP packet. */
  static final int GSO_SLOT = 65_536;

  /** Payload of one UDP GSO message: an IP packet of at most 65,535 bytes with its UDP header. */
  private static final int GSO_MAX_BYTES = 65_535 - 28;

  /** At most this many datagrams per message (the kernel's UDP_MAX_SEGMENTS is 64 or more). */
  private static final int GSO_MAX_SEGMENTS = 64;

  /** How many source ports VXLAN sends from (a power of two: the flow hash's low bits pick). */
  static final int VXLAN_SOURCE_PORTS = 16;

  /** Room for one cmsg with an int: {@code CMSG_SPACE(sizeof(int))}. */
  private static final int CMSG_SPACE = 24;

  private static final int OUTER_UDP = Ipv4.MIN_HEADER + Udp.HEADER;
  private static final ValueLayout.OfInt INT_BE =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final ValueLayout.OfShort SHORT_BE =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final ValueLayout.OfShort SHORT_NATIVE = ValueLayout.JAVA_SHORT_UNALIGNED;

  final Encapsulation encapsulation;
  final int pa;
  final int fd;

  /** The sockets sends go through, by source-port bucket: VXLAN's senders, or just {@link #fd}. */
  private final int[] sendFds;

  /** The UDP source port of each of {@link #sendFds} (VXLAN), or empty. */
  final int[] sourcePorts;

  private final boolean vxlan;
  private final boolean gso;
  private final int slot;
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
  private final MemorySegment rxControl;
  private final MemorySegment txControl;

  /** The source-port bucket of each queued message. */
  private final byte[] txBucket;

  private int txCount;

  /** The message being filled with equal datagrams, by PA, datagram size, count and bytes. */
  private boolean txOpen;

  private int txDst;
  private int txOpenBucket;
  private int txSegment;
  private int txSegments;
  private int txBytes;
  long sendErrors;

  /**
   * Messages sent as several datagrams ({@code UDP_SEGMENT}) and received joined ({@code UDP_GRO}).
   */
  long segmentedSends;

  long joinedReceives;
  int lastSendErrno;

  private UnderlaySocket(
      Encapsulation encapsulation, int pa, int fd, int[] senders, boolean gso, int batch) {
    this.encapsulation = encapsulation;
    this.pa = pa;
    this.fd = fd;
    this.sendFds = senders.length == 0 ? new int[] {fd} : senders;
    this.sourcePorts = new int[senders.length];
    for (int i = 0; i < senders.length; i++) {
      sourcePorts[i] = UnderlayFds.localPort(senders[i]);
    }
    this.txBucket = new byte[batch];
    this.vxlan = encapsulation == Encapsulation.VXLAN;
    this.gso = gso;
    this.slot = gso ? GSO_SLOT : SLOT;
    this.batch = batch;
    rxMsgs = arena.allocate((long) Libc.MMSGHDR * batch, 8);
    MemorySegment rxIov = arena.allocate((long) Libc.IOVEC * batch, 8);
    rxNames = arena.allocate((long) Libc.SOCKADDR_IN * batch, 8);
    rxSlots = arena.allocate((long) slot * batch, 64);
    rxControl = arena.allocate((long) CMSG_SPACE * batch, 8);
    txMsgs = arena.allocate((long) Libc.MMSGHDR * batch, 8);
    txMsgFrom = new MemorySegment[batch];
    txIov = arena.allocate((long) Libc.IOVEC * batch, 8);
    txNames = arena.allocate((long) Libc.SOCKADDR_IN * batch, 8);
    txSlots = arena.allocate((long) slot * batch, 64);
    txControl = arena.allocate((long) CMSG_SPACE * batch, 8);
    int skip = vxlan ? OUTER_UDP : 0; // VXLAN: the kernel's UDP header goes in front
    for (int i = 0; i < batch; i++) {
      long at = (long) slot * i;
      rxIov.set(ValueLayout.ADDRESS, (long) Libc.IOVEC * i, rxSlots.asSlice(at + skip));
      rxIov.set(ValueLayout.JAVA_LONG, (long) Libc.IOVEC * i + 8, slot - skip);
      header(rxMsgs, i, rxNames, rxIov);
      txIov.set(ValueLayout.ADDRESS, (long) Libc.IOVEC * i, txSlots.asSlice(at));
      header(txMsgs, i, txNames, txIov);
      txMsgFrom[i] = txMsgs.asSlice((long) Libc.MMSGHDR * i);
      txNames.set(ValueLayout.JAVA_SHORT, (long) Libc.SOCKADDR_IN * i, (short) Libc.AF_INET);
      txNames.set(SHORT_BE, (long) Libc.SOCKADDR_IN * i + 2, (short) (vxlan ? Udp.PORT_VXLAN : 0));
      long c = (long) CMSG_SPACE * i;
      long m = (long) Libc.MMSGHDR * i;
      if (gso) {
        rxMsgs.set(ValueLayout.ADDRESS, m + Libc.MSG_CONTROL, rxControl.asSlice(c, CMSG_SPACE));
        txMsgs.set(ValueLayout.ADDRESS, m + Libc.MSG_CONTROL, txControl.asSlice(c, CMSG_SPACE));
        txControl.set(ValueLayout.JAVA_LONG, c, Libc.CMSGHDR + 2L); // CMSG_LEN(sizeof(u16))
        txControl.set(ValueLayout.JAVA_INT, c + 8, Libc.SOL_UDP);
        txControl.set(ValueLayout.JAVA_INT, c + 12, Libc.UDP_SEGMENT);
      }
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
    int fd = Netns.run(netns, () -> UnderlayFds.open(encapsulation, pa, -1));
    if (encapsulation != Encapsulation.VXLAN) {
      return new UnderlaySocket(encapsulation, pa, fd, new int[0], false, batch);
    }
    int[] senders;
    try {
      senders = Netns.run(netns, () -> UnderlayFds.openSenders(pa));
    } catch (IOException | RuntimeException e) {
      try (Arena arena = Arena.ofConfined()) {
        Libc.close(new Libc.Errno(arena), fd);
      }
      throw e;
    }
    boolean gso = UnderlayFds.udpOffloads(fd);
    for (int s : senders) {
      gso &= UnderlayFds.udpOffloads(s);
    }
    return new UnderlaySocket(encapsulation, pa, fd, senders, gso, batch);
  }

  /** True when this socket sends and receives VXLAN with UDP segmentation offload. */
  boolean offloads() {
    return gso;
  }

  /**
   * Receives up to one batch without waiting; returns how many packets arrived (0 when none). Read
   * packet {@code i} with {@link #copyReceived}.
   */
  int receive() {
    for (int i = 0; i < batch; i++) {
      long m = (long) Libc.MMSGHDR * i;
      rxMsgs.set(ValueLayout.JAVA_INT, m + Libc.MSG_NAMELEN, 16);
      if (gso) {
        rxMsgs.set(ValueLayout.JAVA_LONG, m + Libc.MSG_CONTROLLEN, (long) CMSG_SPACE);
      }
    }
    int n = Libc.recvmmsg(errno, fd, rxMsgs, batch, Libc.MSG_DONTWAIT);
    return Math.max(n, 0);
  }

  /** How many datagrams received message {@code i} holds (more than one when joined). */
  int datagrams(int i) {
    int len = rxMsgs.get(ValueLayout.JAVA_INT, (long) Libc.MMSGHDR * i + Libc.MSG_LEN);
    int size = datagramSize(i);
    if (size <= 0 || len <= size) {
      return 1;
    }
    joinedReceives++;
    return (len + size - 1) / size;
  }

  /** The size of the joined datagrams of message {@code i} ({@code UDP_GRO}), or 0. */
  private int datagramSize(int i) {
    if (!gso) {
      return 0;
    }
    long m = (long) Libc.MMSGHDR * i;
    long c = (long) CMSG_SPACE * i;
    if (rxMsgs.get(ValueLayout.JAVA_LONG, m + Libc.MSG_CONTROLLEN) < Libc.CMSGHDR + 4
        || rxControl.get(ValueLayout.JAVA_INT, c + 8) != Libc.SOL_UDP
        || rxControl.get(ValueLayout.JAVA_INT, c + 12) != Libc.UDP_GRO) {
      return 0;
    }
    return rxControl.get(ValueLayout.JAVA_INT, c + Libc.CMSGHDR);
  }

  /**
   * Copies datagram {@code j} of received message {@code i}, as a whole outer IPv4 packet, into
   * {@code dst} (viewed also as {@code dstSegment}); returns its length.
   */
  int copyReceived(int i, int j, byte[] dst, MemorySegment dstSegment) {
    int len = rxMsgs.get(ValueLayout.JAVA_INT, (long) Libc.MMSGHDR * i + Libc.MSG_LEN);
    long at = (long) slot * i;
    if (!vxlan) {
      int n = Math.min(len, dst.length);
      MemorySegment.copy(rxSlots, at, dstSegment, 0, n);
      return n;
    }
    int size = datagramSize(i);
    if (size > 0 && len > size) {
      at += (long) j * size;
      len = Math.min(size, len - j * size);
    }
    int n = Math.min(len, dst.length - OUTER_UDP);
    MemorySegment.copy(rxSlots, at + OUTER_UDP, dstSegment, OUTER_UDP, n);
    long name = (long) Libc.SOCKADDR_IN * i;
    int srcPort = rxNames.get(SHORT_BE, name + 2) & 0xFFFF;
    int src = rxNames.get(INT_BE, name + 4);
    int total = OUTER_UDP + n;
    Ipv4.writeHeader(dst, 0, total, 0, 64, Ipv4.PROTO_UDP, src, pa);
    Udp.writeHeader(dst, Ipv4.MIN_HEADER, srcPort, Udp.PORT_VXLAN, Udp.HEADER + n);
    return total;
  }

  /**
   * Queues one outer IPv4 packet for {@code dstPa}; sends the batch when it is full. With UDP
   * segmentation offload a packet joins the message before it when that goes to the same PA with
   * datagrams of the same size (a shorter one ends the message, as the kernel requires).
   */
  void send(int dstPa, byte[] b, int off, int len) {
    int skip = vxlan ? OUTER_UDP : 0;
    int payload = len - skip;
    if (payload <= 0 || payload > SLOT) {
      sendErrors++;
      return;
    }
    int bucket = vxlan ? sourceBucket(b, off) : 0;
    if (txOpen
        && dstPa == txDst
        && bucket == txOpenBucket
        && payload <= txSegment
        && txSegments < GSO_MAX_SEGMENTS
        && txBytes + payload <= GSO_MAX_BYTES) {
      int i = txCount - 1;
      MemorySegment.copy(
          b, off + skip, txSlots, ValueLayout.JAVA_BYTE, (long) slot * i + txBytes, payload);
      txBytes += payload;
      if (++txSegments == 2) {
        segmentedSends++;
      }
      txIov.set(ValueLayout.JAVA_LONG, (long) Libc.IOVEC * i + 8, txBytes);
      txMsgs.set(ValueLayout.JAVA_LONG, (long) Libc.MMSGHDR * i + Libc.MSG_CONTROLLEN, CMSG_SPACE);
      txControl.set(SHORT_NATIVE, (long) CMSG_SPACE * i + Libc.CMSGHDR, (short) txSegment);
      txOpen = payload == txSegment;
      return;
    }
    int i = txCount;
    txBucket[i] = (byte) bucket;
    MemorySegment.copy(b, off + skip, txSlots, ValueLayout.JAVA_BYTE, (long) slot * i, payload);
    txIov.set(ValueLayout.JAVA_LONG, (long) Libc.IOVEC * i + 8, payload);
    txNames.set(INT_BE, (long) Libc.SOCKADDR_IN * i + 4, dstPa);
    if (gso) {
      txMsgs.set(ValueLayout.JAVA_LONG, (long) Libc.MMSGHDR * i + Libc.MSG_CONTROLLEN, 0L);
      txOpen = true;
      txDst = dstPa;
      txOpenBucket = bucket;
      txSegment = payload;
      txSegments = 1;
      txBytes = payload;
    }
    if (++txCount == batch) {
      flush();
    }
  }

  /**
   * Which sender a VXLAN packet leaves through: the low bits of the source port the pipeline
   * derived from the inner flow's hash ({@code Vxlan.sourcePort}).
   */
  private int sourceBucket(byte[] b, int off) {
    int port = ((b[off + Ipv4.MIN_HEADER] & 0xFF) << 8) | (b[off + Ipv4.MIN_HEADER + 1] & 0xFF);
    return port & (sendFds.length - 1);
  }

  /** Sends what is queued: each run of messages of one source port with one system call. */
  void flush() {
    int sent = 0;
    while (sent < txCount) {
      int bucket = txBucket[sent];
      int end = sent + 1;
      while (end < txCount && txBucket[end] == bucket) {
        end++;
      }
      int n = Libc.sendmmsg(errno, sendFds[bucket], txMsgFrom[sent], end - sent, 0);
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
    txOpen = false;
  }

  @Override
  public void close() {
    for (int s : sendFds) {
      if (s != fd) {
        Libc.close(errno, s);
      }
    }
    Libc.close(errno, fd);
    arena.close();
  }
}
