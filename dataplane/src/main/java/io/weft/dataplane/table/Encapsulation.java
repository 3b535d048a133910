package io.weft.dataplane.table;

/** How a host wraps tenant frames for the provider network. */
public enum Encapsulation {
  /** RFC 7637: GRE with key = VSID &lt;&lt; 8 | FlowID, protocol 0x6558, over IP protocol 47. */
  NVGRE,
  /** RFC 7348: VNI = VSID over UDP port 4789. */
  VXLAN
}
