package io.weft.dataplane.backend.linux;

import io.weft.dataplane.codec.Bytes;
import io.weft.dataplane.codec.Checksum;
import io.weft.dataplane.codec.Ethernet;
import io.weft.dataplane.codec.Ipv4;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Writes the switch's frames to taps. On a tap with offloads it does what a NIC's GRO does: TCP
 * segments of one flow that arrive back to back (an underlay batch brings dozens) are joined into
 * one super-frame and written once with a {@link VnetHeader} saying {@code GSO_TCPV4} and the
 * segment size, so the VM's stack takes 64 KB per system call instead of 1.4 KB. The rules are
 * Linux's {@code tcp_gro_receive}: same addresses, ports, acknowledgement, window and TCP options,
 * contiguous sequence numbers, only ACK (and PSH on the last) set, equal-sized segments with a
 * shorter one or PSH ending the run. Every segment's IPv4 and TCP checksums are verified before it
 * joins; one that fails goes to the VM unmarked, whose stack drops it. Order per tap is kept: a
 * frame that cannot join first writes out the run. {@link #flush} ends a run (the loop calls it
 * after each round). Nothing is allocated per frame.
 */
final class TapWriter {

  private static final int IP = Ethernet.HEADER;
  private static final int TCP = IP + Ipv4.MIN_HEADER;
  private static final int ACK = 0x10;
  private static final int PSH = 0x08;

  /** Stay under a 64 KB IP packet, as GRO does. */
  private static final int MAX_IP_LENGTH = 65_535;

  /** The {@code write(2)} this writer makes; tests see what would reach the tap. */
  @FunctionalInterface
  interface Syscall {
    long write(int fd, MemorySegment buffer, long count);
  }

  private final MemorySegment out;
  private final MemorySegment outFrame;
  private final Syscall syscall;
  private final byte[] head = new byte[TcpSegmenter.MAX_HEADERS];

  /** The tap of the run being joined, or -1. */
  private int runFd = -1;

  private int runHeaders;
  private int runPayload;
  private int runSegments;
  private int runMss;
  private int runNextSeq;
  private boolean runClosed;

  long writeErrors;
  long superFrames;
  long joinedSegments;

  TapWriter(Arena arena, int maxFrame) {
    this(arena, maxFrame, libcWrite(new Libc.Errno(arena)));
  }

  TapWriter(Arena arena, int maxFrame, Syscall syscall) {
    this.out = arena.allocate(VnetHeader.SIZE + maxFrame, 64);
    this.outFrame = out.asSlice(VnetHeader.SIZE);
    this.syscall = syscall;
  }

  private static Syscall libcWrite(Libc.Errno errno) {
    return (fd, buffer, count) -> Libc.write(errno, fd, buffer, count);
  }

  /**
   * Writes one frame to the tap {@code fd} (which has {@code offloads} or not), or joins it to the
   * current run.
   */
  void write(int fd, boolean offloads, byte[] b, int off, int len) {
    if (!offloads) {
      flush();
      MemorySegment.copy(b, off, outFrame, ValueLayout.JAVA_BYTE, 0, len);
      count(syscall.write(fd, outFrame, len), len);
      return;
    }
    int headers = joinableHeaders(b, off, len);
    if (headers > 0 && join(fd, b, off, len, headers)) {
      return;
    }
    flush();
    if (headers > 0) {
      start(fd, b, off, len, headers);
      return;
    }
    VnetHeader.write(out, 0, 0, VnetHeader.GSO_NONE, 0, 0, 0, 0);
    MemorySegment.copy(b, off, outFrame, ValueLayout.JAVA_BYTE, 0, len);
    count(syscall.write(fd, out, VnetHeader.SIZE + len), VnetHeader.SIZE + len);
  }

  /** Writes out the current run, if any. */
  void flush() {
    if (runFd < 0) {
      return;
    }
    int frameLength = runHeaders + runPayload;
    if (runSegments == 1) {
      VnetHeader.write(out, 0, VnetHeader.F_DATA_VALID, VnetHeader.GSO_NONE, 0, 0, 0, 0);
    } else {
      int ipLength = frameLength - IP;
      Bytes.put16(head, IP + 2, ipLength);
      Bytes.put16(head, IP + 10, 0);
      Bytes.put16(head, IP + 10, Checksum.compute(head, IP, Ipv4.MIN_HEADER));
      // As the kernel's GRO leaves it: the pseudo-header sum, the rest for whoever completes it.
      long pseudo =
          Checksum.pseudoV4(
              Ipv4.src(head, IP), Ipv4.dst(head, IP), Ipv4.PROTO_TCP, ipLength - Ipv4.MIN_HEADER);
      Bytes.put16(head, TCP + 16, Checksum.fold(pseudo));
      MemorySegment.copy(head, 0, outFrame, ValueLayout.JAVA_BYTE, 0, runHeaders);
      VnetHeader.write(
          out, 0, VnetHeader.F_NEEDS_CSUM, VnetHeader.GSO_TCPV4, runHeaders, runMss, TCP, 16);
      superFrames++;
      joinedSegments += runSegments;
    }
    int total = VnetHeader.SIZE + frameLength;
    count(syscall.write(runFd, out, total), total);
    runFd = -1;
  }

  private void count(long written, int expected) {
    if (written != expected) {
      writeErrors++;
    }
  }

  /**
   * The header length of an IPv4 TCP segment that may join a run (no IP options or fragments, a
   * payload, only ACK/PSH, both checksums right), or -1.
   */
  static int joinableHeaders(byte[] b, int off, int len) {
    if (len < TCP + TcpSegmenter.TCP_MIN_HEADER
        || Bytes.u16(b, off + Ethernet.TYPE) != Ethernet.TYPE_IPV4
        || b[off + IP] != 0x45
        || Bytes.u16(b, off + IP + 2) != len - IP
        || Ipv4.isFragment(b, off + IP)
        || Ipv4.protocol(b, off + IP) != Ipv4.PROTO_TCP) {
      return -1;
    }
    int headers = TCP + (Bytes.u8(b, off + TCP + 12) >>> 4) * 4;
    int flags = Bytes.u8(b, off + TCP + 13);
    if (headers < TCP + TcpSegmenter.TCP_MIN_HEADER
        || headers >= len
        || (flags & ~PSH) != ACK
        || Checksum.compute(b, off + IP, Ipv4.MIN_HEADER) != 0) {
      return -1;
    }
    long pseudo =
        Checksum.pseudoV4(Ipv4.src(b, off + IP), Ipv4.dst(b, off + IP), Ipv4.PROTO_TCP, len - TCP);
    return Checksum.finish(Checksum.sum(b, off + TCP, len - TCP, pseudo)) == 0 ? headers : -1;
  }

  private boolean join(int fd, byte[] b, int off, int len, int headers) {
    int n = len - headers;
    if (fd != runFd
        || runClosed
        || headers != runHeaders
        || n > runMss
        || Bytes.i32(b, off + TCP + 4) != runNextSeq
        || frameLengthAfter(n) - IP > MAX_IP_LENGTH
        || !sameFlow(b, off, headers)) {
      return false;
    }
    MemorySegment.copy(
        b, off + headers, outFrame, ValueLayout.JAVA_BYTE, runHeaders + runPayload, n);
    runPayload += n;
    runSegments++;
    runNextSeq += n;
    if ((b[off + TCP + 13] & PSH) != 0) {
      head[TCP + 13] |= PSH;
      runClosed = true;
    }
    if (n < runMss) {
      runClosed = true;
    }
    return true;
  }

  private int frameLengthAfter(int n) {
    return runHeaders + runPayload + n;
  }

  /**
   * Everything but the IP total length, identification and checksum, the TCP sequence number and
   * checksum, and PSH is the run's.
   */
  private boolean sameFlow(byte[] b, int off, int headers) {
    return Arrays.equals(head, 0, IP + 2, b, off, off + IP + 2)
        && Arrays.equals(head, IP + 6, IP + 10, b, off + IP + 6, off + IP + 10)
        && Arrays.equals(head, IP + 12, TCP + 4, b, off + IP + 12, off + TCP + 4)
        && Arrays.equals(head, TCP + 8, TCP + 13, b, off + TCP + 8, off + TCP + 13)
        && Arrays.equals(head, TCP + 14, TCP + 16, b, off + TCP + 14, off + TCP + 16)
        && Arrays.equals(head, TCP + 18, headers, b, off + TCP + 18, off + headers);
  }

  private void start(int fd, byte[] b, int off, int len, int headers) {
    System.arraycopy(b, off, head, 0, headers);
    MemorySegment.copy(b, off, outFrame, ValueLayout.JAVA_BYTE, 0, len);
    runFd = fd;
    runHeaders = headers;
    runPayload = len - headers;
    runSegments = 1;
    runMss = runPayload;
    runNextSeq = Bytes.i32(b, off + TCP + 4) + runPayload;
    runClosed = (b[off + TCP + 13] & PSH) != 0;
  }
}
