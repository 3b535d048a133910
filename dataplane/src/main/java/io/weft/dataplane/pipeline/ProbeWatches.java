package io.weft.dataplane.pipeline;

import java.util.Arrays;

/**
 * The probes a switch is watching right now, by nonce. The switch asks {@link #any()} for every
 * packet (one volatile read) and only while a probe is watched reads the packet's {@link
 * ProbeSignature}; registration may come from any thread (copy on write).
 */
public final class ProbeWatches {

  /** More probes than this at once on one host are refused. */
  public static final int MAX = 32;

  private record Watch(long nonce, ProbeRecorder recorder) {}

  private volatile Watch[] watches = new Watch[0];

  public boolean any() {
    return watches.length != 0;
  }

  /** Starts recording packets carrying {@code nonce}; false if too many probes are watched. */
  public synchronized boolean watch(long nonce, ProbeRecorder recorder) {
    if (nonce == 0 || watches.length >= MAX) {
      return false;
    }
    Watch[] next = Arrays.copyOf(watches, watches.length + 1);
    next[watches.length] = new Watch(nonce, recorder);
    watches = next;
    return true;
  }

  public synchronized void unwatch(long nonce) {
    watches = Arrays.stream(watches).filter(w -> w.nonce() != nonce).toArray(Watch[]::new);
  }

  /** {@code given}, plus the probe's recorder when the frame from a vNIC is a watched probe. */
  TraceSink forPort(TraceSink given, String portId, byte[] b, int off, int len) {
    return both(given, fromPort(portId, b, off, len));
  }

  /** {@code given}, plus the probe's recorder when the underlay packet carries a watched probe. */
  TraceSink forUnderlay(TraceSink given, byte[] b, int off, int len) {
    return both(given, fromUnderlay(b, off, len));
  }

  private static TraceSink both(TraceSink given, TraceSink watched) {
    if (watched == null) {
      return given;
    }
    if (given == TraceSink.NONE) {
      return watched;
    }
    return step -> {
      given.step(step);
      watched.step(step);
    };
  }

  /** A sink for a frame from a vNIC port if it is a watched probe, else null. */
  private TraceSink fromPort(String portId, byte[] b, int off, int len) {
    long nonce = ProbeSignature.inFrame(b, off, len);
    ProbeRecorder r = nonce == 0 ? null : recorder(nonce);
    return r == null
        ? null
        : r.sink("port " + portId, ProbeSignature.isReply(b, off), ProbeSignature.sequence(b, off));
  }

  /** A sink for an encapsulated packet from the underlay if it carries a watched probe. */
  private TraceSink fromUnderlay(byte[] b, int off, int len) {
    int inner = ProbeSignature.innerFrame(b, off, len);
    long nonce = inner < 0 ? 0 : ProbeSignature.inFrame(b, inner, off + len - inner);
    ProbeRecorder r = nonce == 0 ? null : recorder(nonce);
    return r == null
        ? null
        : r.sink("underlay", ProbeSignature.isReply(b, inner), ProbeSignature.sequence(b, inner));
  }

  private ProbeRecorder recorder(long nonce) {
    for (Watch w : watches) {
      if (w.nonce() == nonce) {
        return w.recorder();
      }
    }
    return null;
  }
}
