package io.weft.dataplane.pipeline;

import io.weft.dataplane.codec.ParsedFrame;
import io.weft.dataplane.table.IpAddress;

/**
 * How trace steps and drop records name a frame and its addresses. Only text for people: the switch
 * builds it when tracing or dropping, never to decide where a frame goes.
 */
final class FrameText {

  private FrameText() {}

  static String describe(ParsedFrame f) {
    String l3 =
        f.isArp() ? "ARP" : f.ipVersion == 0 ? "EtherType " + f.etherType : src(f) + " → " + dst(f);
    return "frame "
        + f.length
        + " B, "
        + l3
        + (f.isIp() ? " proto " + f.l4Protocol + " ttl " + f.ttl : "");
  }

  private static String src(ParsedFrame f) {
    return f.ipVersion == 4 ? IpAddress.v4(f.srcV4()).toString() : v6(f.srcHi, f.srcLo);
  }

  static String dst(ParsedFrame f) {
    return f.ipVersion == 4 ? IpAddress.v4(f.dstV4()).toString() : v6(f.dstHi, f.dstLo);
  }

  static String v6(long hi, long lo) {
    return IpAddress.v6(hi, lo).toString();
  }
}
