package io.weft.dataplane.pipeline;

/**
 * Sees a copy of frames on a port or the underlay, e.g. a pcap capture. Called on the switch
 * thread.
 */
@FunctionalInterface
public interface FrameTap {

  void frame(byte[] buffer, int offset, int length);
}
