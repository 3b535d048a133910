package io.weft.dataplane.backend.linux;

import io.weft.dataplane.codec.Bytes;
import io.weft.dataplane.codec.Checksum;
import io.weft.dataplane.codec.Ethernet;
import io.weft.dataplane.codec.Ipv4;
import io.weft.dataplane.codec.Ipv6;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Writes the switch's frames to taps. On a tap with offloads it does what a NIC's GRO does: TCP
 * segments of one flow that arrive back to back (an underlay batch brings dozens) are joined into
 * one super-frame and written once with a {@link VnetHeader} saying {@code GSO_TCPV4} or {@code
 * GSO_TCPV6} and the segment size, so the VM's stack takes 64 KB per system call instead of 1.4 KB.
 * The rules are Linux's {@code tcp_gro_receive}: same addresses (and IPv6 traffic class, flow label
 * and hop limit), ports, acknowledgement, window and TCP options, contiguous sequence numbers, only
 * ACK (and PSH on the last) set, no IPv4 options or IPv6 extension headers, equal-sized segments
 * with a shorter one or PSH ending the run. Every segment's IPv4 and TCP checksums are verified
 * before it joins; one that fails goes to the VM unmarked, whose stack drops it. Order per tap is
 * kept: a frame that cannot join first writes out the run. {@link #flush} ends a run (the loop
 * calls it after each round). Nothing is allocated per frame.
 */
final class TapWriter {

  private static final int IP = Ethernet.HEADER;
  private static final int TCP = IP + Ipv4.MIN_HEADER;
  private static final int TCP6 = IP + Ipv6.HEADER;
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

  /** Where the run's TCP header starts: after an IPv4 header or an IPv6 one. */
  private int runTcp;

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
    int tcp = headers > 0 ? tcpAt(b, off) : 0;
    if (headers > 0 && join(fd, b, off, len, headers, tcp)) {
      return;
    }
    flush();
    if (headers > 0) {
      start(fd, b, off, len, headers, tcp);
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
    } else if (runTcp == TCP6) {
      int payloadLength = frameLength - TCP6;
      Bytes.put16(head, IP + 4, payloadLength);
      long pseudo = Checksum.pseudoV6(head, IP, Ipv4.PROTO_TCP, payloadLength);
      Bytes.put16(head, TCP6 + 16, Checksum.fold(pseudo));
      MemorySegment.copy(head, 0, outFrame, ValueLayout.JAVA_BYTE, 0, runHeaders);
      VnetHeader.write(
          out, 0, VnetHeader.F_NEEDS_CSUM, VnetHeader.GSO_TCPV6, runHeaders, runMss, TCP6, 16);
      superFrames++;
      joinedSegments += runSegments;
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

  /** Where the TCP header of a frame {@link #joinableHeaders} accepted starts. */
  private static int tcpAt(byte[] b, int off) {
    return Bytes.u16(b, off + Ethernet.TYPE) == Ethernet.TYPE_IPV6 ? TCP6 : TCP;
  }

  /**
   * The header length of a TCP segment that may join a run, or -1: IPv4 without options or
   * fragments, or IPv6 without extension headers; a payload, only ACK/PSH, the checksums right.
   */
  static int joinableHeaders(byte[] b, int off, int len) {
    int type = len < TCP + TcpSegmenter.TCP_MIN_HEADER ? -1 : Bytes.u16(b, off + Ethernet.TYPE);
    if (type == Ethernet.TYPE_IPV6) {
      return joinableV6Headers(b, off, len);
    }
    if (type != Ethernet.TYPE_IPV4
        || b[off + IP] != 0x45
        || Bytes.u16(b, off + IP + 2) != len - IP
        || Ipv4.isFragment(b, off + IP)
        || Ipv4.protocol(b, off + IP) != Ipv4.PROTO_TCP) {
      return -1;
    }
    int headers = tcpHeaders(b, off, len, TCP);
    if (headers < 0 || Checksum.compute(b, off + IP, Ipv4.MIN_HEADER) != 0) {
      return -1;
    }
    long pseudo =
        Checksum.pseudoV4(Ipv4.src(b, off + IP), Ipv4.dst(b, off + IP), Ipv4.PROTO_TCP, len - TCP);
    return Checksum.finish(Checksum.sum(b, off + TCP, len - TCP, pseudo)) == 0 ? headers : -1;
  }

  private static int joinableV6Headers(byte[] b, int off, int len) {
    if (len < TCP6 + TcpSegmenter.TCP_MIN_HEADER
        || (b[off + IP] & 0xF0) != 0x60
        || Ipv6.payloadLength(b, off + IP) != len - TCP6
        || Ipv6.nextHeader(b, off + IP) != Ipv4.PROTO_TCP) {
      return -1;
    }
    int headers = tcpHeaders(b, off, len, TCP6);
    if (headers < 0) {
      return -1;
    }
    long pseudo = Checksum.pseudoV6(b, off + IP, Ipv4.PROTO_TCP, len - TCP6);
    return Checksum.finish(Checksum.sum(b, off + TCP6, len - TCP6, pseudo)) == 0 ? headers : -1;
  }

  /** The headers' length up to the end of the TCP header at {@code tcp}, when it may join. */
  private static int tcpHeaders(byte[] b, int off, int len, int tcp) {
    int headers = tcp + (Bytes.u8(b, off + tcp + 12) >>> 4) * 4;
    int flags = Bytes.u8(b, off + tcp + 13);
    if (headers < tcp + TcpSegmenter.TCP_MIN_HEADER || headers >= len || (flags & ~PSH) != ACK) {
      return -1;
    }
    return headers;
  }

  private boolean join(int fd, byte[] b, int off, int len, int headers, int tcp) {
    int n = len - headers;
    if (fd != runFd
        || runClosed
        || tcp != runTcp
        || headers != runHeaders
        || n > runMss
        || Bytes.i32(b, off + tcp + 4) != runNextSeq
        || frameLengthAfter(n) - IP > MAX_IP_LENGTH
        || !sameFlow(b, off, headers)) {
      return false;
    }
    MemorySegment.copy(
        b, off + headers, outFrame, ValueLayout.JAVA_BYTE, runHeaders + runPayload, n);
    runPayload += n;
    runSegments++;
    runNextSeq += n;
    if ((b[off + tcp + 13] & PSH) != 0) {
      head[tcp + 13] |= PSH;
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
   * Everything but the IP total (IPv4) or payload (IPv6) length, IPv4's identification and
   * checksum, the TCP sequence number and checksum, and PSH is the run's.
   */
  private boolean sameFlow(byte[] b, int off, int headers) {
    int t = runTcp;
    boolean ip =
        t == TCP6
            ? Arrays.equals(head, 0, IP + 4, b, off, off + IP + 4)
                && Arrays.equals(head, IP + 6, TCP6, b, off + IP + 6, off + TCP6)
            : Arrays.equals(head, 0, IP + 2, b, off, off + IP + 2)
                && Arrays.equals(head, IP + 6, IP + 10, b, off + IP + 6, off + IP + 10)
                && Arrays.equals(head, IP + 12, TCP, b, off + IP + 12, off + TCP);
    return ip
        && Arrays.equals(head, t, t + 4, b, off + t, off + t + 4)
        && Arrays.equals(head, t + 8, t + 13, b, off + t + 8, off + t + 13)
        && Arrays.equals(head, t + 14, t + 16, b, off + t + 14, off + t + 16)
        && Arrays.equals(head, t + 18, headers, b, off + t + 18, off + headers);
  }

  private void start(int fd, byte[] b, int off, int len, int headers, int tcp) {
    System.arraycopy(b, off, head, 0, headers);
    MemorySegment.copy(b, off, outFrame, ValueLayout.JAVA_BYTE, 0, len);
    runFd = fd;
    runHeaders = headers;
    runTcp = tcp;
    runPayload = len - headers;
    runSegments = 1;
    runMss = runPayload;
    runNextSeq = Bytes.i32(b, off + tcp + 4) + runPayload;
    runClosed = (b[off + tcp + 13] & PSH) != 0;
  }
}
