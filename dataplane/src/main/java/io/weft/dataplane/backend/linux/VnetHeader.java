package io.weft.dataplane.backend.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * {@code struct virtio_net_hdr} (10 bytes), which a tap opened with {@code IFF_VNET_HDR} puts in
 * front of every frame in both directions: whether the checksum is still to be completed (and
 * where), whether the frame is a TCP super-frame to be cut into {@code gsoSize}-byte segments, and
 * how long its headers are. Little-endian (the tap's default on x86-64 and aarch64). A flyweight of
 * static accessors over an off-heap buffer.
 */
final class VnetHeader {

  static final int SIZE = 10;

  /** The checksum from {@code csumStart} to the end is still to be computed and stored. */
  static final int F_NEEDS_CSUM = 1;

  /** The checksums were verified (receive direction). */
  static final int F_DATA_VALID = 2;

  static final int GSO_NONE = 0;
  static final int GSO_TCPV4 = 1;
  static final int GSO_TCPV6 = 4;

  /** Set together with a GSO type when the super-frame carries CWR (first segment only). */
  static final int GSO_ECN = 0x80;

  private static final ValueLayout.OfShort U16 =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private VnetHeader() {}

  static int flags(MemorySegment s, long o) {
    return s.get(ValueLayout.JAVA_BYTE, o) & 0xFF;
  }

  static int gsoType(MemorySegment s, long o) {
    return s.get(ValueLayout.JAVA_BYTE, o + 1) & 0xFF;
  }

  static int gsoSize(MemorySegment s, long o) {
    return s.get(U16, o + 4) & 0xFFFF;
  }

  static int csumStart(MemorySegment s, long o) {
    return s.get(U16, o + 6) & 0xFFFF;
  }

  static int csumOffset(MemorySegment s, long o) {
    return s.get(U16, o + 8) & 0xFFFF;
  }

  /** Writes a whole header. */
  static void write(
      MemorySegment s,
      long o,
      int flags,
      int gsoType,
      int hdrLen,
      int gsoSize,
      int csumStart,
      int csumOffset) {
    s.set(ValueLayout.JAVA_BYTE, o, (byte) flags);
    s.set(ValueLayout.JAVA_BYTE, o + 1, (byte) gsoType);
    s.set(U16, o + 2, (short) hdrLen);
    s.set(U16, o + 4, (short) gsoSize);
    s.set(U16, o + 6, (short) csumStart);
    s.set(U16, o + 8, (short) csumOffset);
  }
}
