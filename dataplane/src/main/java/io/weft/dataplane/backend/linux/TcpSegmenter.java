package io.weft.dataplane.backend.linux;

import io.weft.dataplane.codec.Bytes;
import io.weft.dataplane.codec.Checksum;
import io.weft.dataplane.codec.Ethernet;
import io.weft.dataplane.codec.Ipv4;
import io.weft.dataplane.codec.Ipv6;
import java.lang.foreign.MemorySegment;

/**
 * Does what a NIC's TCP segmentation offload does, for frames a VM's stack handed to its tap as one
 * super-frame (up to 64 KB behind one set of headers, {@link VnetHeader#GSO_TCPV4}/{@code V6}):
 * cuts the payload into {@code gsoSize} pieces and gives each the headers it would have had on the
 * wire (IPv4 total length, identification and header checksum or IPv6 payload length; TCP sequence
 * number, FIN/PSH only on the last piece and CWR only on the first, full TCP checksum). Each
 * segment is built in one reused array and handed to a {@link FrameSink} before the next overwrites
 * it: the switch then sees ordinary frames and applies every policy per segment, as it would to
 * frames from a VM without offloads. Nothing is allocated per frame.
 */
final class TcpSegmenter {

  /** Where a frame goes: the switch's {@code fromPort}. */
  @FunctionalInterface
  interface FrameSink {
    void frame(String portId, byte[] b, int off, int len);
  }

  /** Linux's smallest send MSS; a smaller one would multiply one read into thousands of frames. */
  static final int MIN_MSS = 48;

  static final int TCP_MIN_HEADER = 20;

  /** Headers (Ethernet, IP with options or extension headers, TCP) beyond this are refused. */
  static final int MAX_HEADERS = 256;

  private static final int FIN = 0x01;
  private static final int PSH = 0x08;
  private static final int CWR = 0x80;

  private final byte[] out;
  private final MemorySegment outView;

  /** Segments not handed on because the first one was already too big for the overlay. */
  long tooBigDropped;

  TcpSegmenter(byte[] out) {
    this.out = out;
    this.outView = MemorySegment.ofArray(out);
  }

  /**
   * Cuts the super-frame {@code src[off, off + len)} (an Ethernet frame, IPv4 when {@code v6} is
   * false) with its TCP header at {@code tcpAt} into segments of at most {@code mss} payload bytes,
   * handing each to {@code sink}; {@code tcpAt} 0 means right after the IP header. When a segment's
   * IP packet would exceed {@code overlayMtu}, only the first is handed on (the switch answers it
   * with "fragmentation needed"/"packet too big") and the rest are dropped, so the VM gets one
   * answer per super-frame, not one per segment. Returns the number of segments handed on, or -1
   * when the headers do not describe a TCP super-frame.
   */
  int segment(
      String portId,
      MemorySegment src,
      long off,
      int len,
      boolean v6,
      int tcpAt,
      int mss,
      int overlayMtu,
      FrameSink sink) {
    int l3 = Ethernet.HEADER;
    if (len < l3 + Ipv4.MIN_HEADER || mss < MIN_MSS || tcpAt > MAX_HEADERS - 60) {
      return -1;
    }
    MemorySegment.copy(src, off, outView, 0, Math.min(len, MAX_HEADERS));
    int etherType = Bytes.u16(out, Ethernet.TYPE);
    if (tcpAt == 0) { // no checksum offset given: the TCP header follows the IP header
      tcpAt = l3 + (v6 ? Ipv6.HEADER : Ipv4.headerLength(out, l3));
    }
    if (tcpAt + TCP_MIN_HEADER > len) {
      return -1;
    }
    if (v6
        ? etherType != Ethernet.TYPE_IPV6
            || Ipv6.version(out, l3) != 6
            || tcpAt < l3 + Ipv6.HEADER
            || (tcpAt == l3 + Ipv6.HEADER && Ipv6.nextHeader(out, l3) != Ipv4.PROTO_TCP)
        : etherType != Ethernet.TYPE_IPV4
            || Ipv4.version(out, l3) != 4
            || l3 + Ipv4.headerLength(out, l3) != tcpAt
            || Ipv4.protocol(out, l3) != Ipv4.PROTO_TCP) {
      return -1;
    }
    int tcpHeader = (Bytes.u8(out, tcpAt + 12) >>> 4) * 4;
    int hdr = tcpAt + tcpHeader;
    if (tcpHeader < TCP_MIN_HEADER || hdr >= len || hdr + mss > out.length) {
      return -1;
    }
    int payload = len - hdr;
    int seq0 = Bytes.i32(out, tcpAt + 4);
    int flags0 = Bytes.u8(out, tcpAt + 13);
    int id0 = v6 ? 0 : Bytes.u16(out, l3 + 4);
    int src4 = v6 ? 0 : Ipv4.src(out, l3);
    int dst4 = v6 ? 0 : Ipv4.dst(out, l3);
    int segments = 0;
    for (int p = 0; p < payload; p += mss) {
      int n = Math.min(mss, payload - p);
      boolean last = p + n == payload;
      if (segments > 0) {
        // The sink may have used the array: headers again from the source.
        MemorySegment.copy(src, off, outView, 0, hdr);
      }
      MemorySegment.copy(src, off + hdr + p, outView, hdr, n);
      int ipLength = hdr - l3 + n;
      if (v6) {
        Bytes.put16(out, l3 + 4, ipLength - Ipv6.HEADER);
      } else {
        Bytes.put16(out, l3 + 2, ipLength);
        Bytes.put16(out, l3 + 4, id0 + segments);
        Bytes.put16(out, l3 + 10, 0);
        Bytes.put16(out, l3 + 10, Checksum.compute(out, l3, tcpAt - l3));
      }
      Bytes.put32(out, tcpAt + 4, seq0 + p);
      int flags = flags0;
      if (segments > 0) {
        flags &= ~CWR;
      }
      if (!last) {
        flags &= ~(FIN | PSH);
      }
      out[tcpAt + 13] = (byte) flags;
      int tcpLength = tcpHeader + n;
      long pseudo =
          v6
              ? Checksum.pseudoV6(out, l3, Ipv4.PROTO_TCP, tcpLength)
              : Checksum.pseudoV4(src4, dst4, Ipv4.PROTO_TCP, tcpLength);
      Bytes.put16(out, tcpAt + 16, 0);
      Bytes.put16(out, tcpAt + 16, Checksum.finish(Checksum.sum(out, tcpAt, tcpLength, pseudo)));
      sink.frame(portId, out, 0, hdr + n);
      segments++;
      if (ipLength > overlayMtu) {
        tooBigDropped += (payload - p - n + mss - 1) / mss;
        return segments;
      }
    }
    return segments;
  }

  /**
   * Completes a checksum the VM's stack left partial ({@link VnetHeader#F_NEEDS_CSUM}): the field
   * at {@code start + offset} holds the pseudo-header sum, and the one's-complement sum from {@code
   * start} to the end of the frame goes in its place. Returns false when the offsets do not fit.
   */
  static boolean completeChecksum(byte[] b, int off, int len, int start, int offset) {
    if (start < Ethernet.HEADER || offset < 0 || start + offset + 2 > len) {
      return false;
    }
    int c = Checksum.finish(Checksum.sum(b, off + start, len - start, 0));
    // 0 and 0xFFFF are the same one's-complement value; UDP reserves 0 for "no checksum".
    Bytes.put16(b, off + start + offset, c == 0 ? 0xFFFF : c);
    return true;
  }
}
