package io.weft.fabric;

/** How a logical network carries tenant frames between hosts. */
public enum Encapsulation {
  /** RFC 7637: GRE with key = VSID << 8 | flow id. */
  NVGRE,
  /** RFC 7348: UDP 4789 with VNI = VSID. */
  VXLAN
}
