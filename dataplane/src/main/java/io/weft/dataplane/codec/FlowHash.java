package io.weft.dataplane.codec;

/**
 * A hash of a frame's inner flow (addresses, protocol, ports) so that the underlay can spread
 * encapsulated traffic (NVGRE FlowID, VXLAN source port) while keeping one flow on one path.
 */
public final class FlowHash {

  private FlowHash() {}

  public static int of(ParsedFrame f) {
    long h = f.srcMac * 0x9E3779B97F4A7C15L ^ f.dstMac;
    h = mix(h ^ f.srcHi ^ (f.srcLo * 31));
    h = mix(h ^ f.dstHi ^ (f.dstLo * 17));
    h = mix(h ^ ((long) f.l4Protocol << 32) ^ ((long) f.srcPort << 16) ^ f.dstPort);
    return (int) (h ^ (h >>> 32));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    return z ^ (z >>> 29);
  }

  /** Eight bits for the NVGRE FlowID. */
  public static int flowId(int hash) {
    return (hash ^ (hash >>> 8) ^ (hash >>> 16) ^ (hash >>> 24)) & 0xFF;
  }
}
