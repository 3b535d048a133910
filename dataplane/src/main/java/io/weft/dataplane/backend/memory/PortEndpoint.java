package io.weft.dataplane.backend.memory;

/**
 * Whatever sits on a memory port (a simulated VM, a test): receives the frames the switch delivers.
 */
@FunctionalInterface
public interface PortEndpoint {

  /** A frame for the VM; the array is the endpoint's to keep. Called on the host's loop thread. */
  void receive(byte[] frame);
}
