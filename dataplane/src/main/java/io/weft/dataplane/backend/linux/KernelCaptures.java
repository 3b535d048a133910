package io.weft.dataplane.backend.linux;

import io.weft.dataplane.capture.BoundedCapture;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The libpcap captures a Linux host runs, at most one per port and one on the underlay (as at the
 * switch). Any thread may start or stop one; none of it runs on the switch's loop.
 */
final class KernelCaptures {

  /** The key of the underlay's capture; ports use their id. */
  static final String UNDERLAY = "underlay";

  private final Map<String, LibpcapCapture> running = new ConcurrentHashMap<>();

  /** Starts a capture under {@code key}; where it is taken, in words. */
  String start(
      String key, String ifName, String netns, String bpf, boolean underlay, BoundedCapture sink)
      throws IOException {
    if (running.containsKey(key)) {
      throw new IllegalStateException("a capture is already running on " + describe(key));
    }
    LibpcapCapture capture = LibpcapCapture.start(ifName, netns, bpf, underlay, sink);
    if (running.putIfAbsent(key, capture) != null) {
      capture.close();
      throw new IllegalStateException("a capture is already running on " + describe(key));
    }
    return capture.where();
  }

  /** Stops the capture under {@code key} if it feeds {@code sink}; whether it did. */
  boolean stop(String key, BoundedCapture sink) {
    LibpcapCapture capture = running.get(key);
    if (capture == null || !capture.feeds(sink) || !running.remove(key, capture)) {
      return false;
    }
    capture.close();
    return true;
  }

  void stopAll() {
    for (String key : running.keySet()) {
      LibpcapCapture capture = running.remove(key);
      if (capture != null) {
        capture.close();
      }
    }
  }

  private static String describe(String key) {
    return key.equals(UNDERLAY) ? "the underlay" : "port " + key;
  }
}
