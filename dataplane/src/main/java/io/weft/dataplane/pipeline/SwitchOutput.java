package io.weft.dataplane.pipeline;

/**
 * Where the switch sends frames: a backend's ports and underlay. Calls happen on the switch thread
 * and the buffer is only valid during the call: copy it to keep it.
 */
public interface SwitchOutput {

  /** Delivers an Ethernet frame to the vNIC {@code portId}. */
  void toPort(String portId, byte[] buffer, int offset, int length);

  /**
   * Sends a complete outer IPv4 packet (IP header, then GRE or UDP+VXLAN, then the inner frame) to
   * the host with provider address {@code pa}.
   */
  void toUnderlay(int pa, byte[] buffer, int offset, int length);
}
