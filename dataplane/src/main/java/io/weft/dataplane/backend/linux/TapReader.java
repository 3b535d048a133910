package io.weft.dataplane.backend.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Reads frames from taps and hands them to the switch. On a tap with offloads every read starts
 * with a {@link VnetHeader}: a frame whose checksum the VM's stack left partial gets it completed
 * here (it leaves the host, where nothing would complete it), and a TCP super-frame is cut into the
 * segments it stands for by {@link TcpSegmenter}. The switch thus only ever sees wire-sized frames
 * with correct checksums. Frames are read into one off-heap buffer and copied into one reused
 * array; nothing is allocated per frame.
 */
final class TapReader {

  private final MemorySegment in;
  private final byte[] frame;
  private final MemorySegment frameView;
  private final Libc.Errno errno;
  private final TcpSegmenter segmenter;
  private final TcpSegmenter.FrameSink sink;

  /** The overlay MTU in force: segments above it get one "too big" answer per super-frame. */
  int overlayMtu = 65_535;

  long superFrames;
  long segments;

  /** Frames whose offload header made no sense (an unknown GSO type, offsets past the end). */
  long badOffloads;

  TapReader(Arena arena, int maxFrame, TcpSegmenter.FrameSink sink) {
    this.in = arena.allocate(VnetHeader.SIZE + maxFrame, 64);
    this.frame = new byte[maxFrame + 64];
    this.frameView = MemorySegment.ofArray(frame);
    this.errno = new Libc.Errno(arena);
    this.segmenter = new TcpSegmenter(frame);
    this.sink = sink;
  }

  long tooBigDropped() {
    return segmenter.tooBigDropped;
  }

  /** Reads up to {@code burst} frames from the tap of {@code portId}; stops when it is empty. */
  void drain(String portId, TapDevice tap, int burst) {
    for (int k = 0; k < burst; k++) {
      long r = Libc.read(errno, tap.fd, in, in.byteSize());
      if (r <= 0) {
        return;
      }
      frame(portId, tap.offloads, in, 0, (int) r);
    }
  }

  /**
   * Hands one read of {@code r} bytes at {@code at} in {@code src} (a frame, after a {@link
   * VnetHeader} when the tap has {@code offloads}) to the switch.
   */
  void frame(String portId, boolean offloads, MemorySegment src, long at, int r) {
    if (!offloads) {
      int n = Math.min(r, frame.length);
      MemorySegment.copy(src, at, frameView, 0, n);
      sink.frame(portId, frame, 0, n);
    } else {
      offloaded(portId, src, at, r - VnetHeader.SIZE);
    }
  }

  private void offloaded(String portId, MemorySegment in, long at, int len) {
    if (len <= 0) {
      badOffloads++;
      return;
    }
    int flags = VnetHeader.flags(in, at);
    int gso = VnetHeader.gsoType(in, at) & ~VnetHeader.GSO_ECN;
    int start = VnetHeader.csumStart(in, at);
    if (gso == VnetHeader.GSO_TCPV4 || gso == VnetHeader.GSO_TCPV6) {
      int n =
          segmenter.segment(
              portId,
              in,
              at + VnetHeader.SIZE,
              len,
              gso == VnetHeader.GSO_TCPV6,
              (flags & VnetHeader.F_NEEDS_CSUM) != 0 ? start : 0,
              VnetHeader.gsoSize(in, at),
              overlayMtu,
              sink);
      if (n < 0) {
        badOffloads++;
      } else {
        superFrames++;
        segments += n;
      }
      return;
    }
    if (gso != VnetHeader.GSO_NONE) {
      badOffloads++;
      return;
    }
    MemorySegment.copy(in, at + VnetHeader.SIZE, frameView, 0, Math.min(len, frame.length));
    if ((flags & VnetHeader.F_NEEDS_CSUM) != 0
        && !TcpSegmenter.completeChecksum(frame, 0, len, start, VnetHeader.csumOffset(in, at))) {
      badOffloads++;
      return;
    }
    sink.frame(portId, frame, 0, len);
  }
}
