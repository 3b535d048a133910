package io.weft.dataplane.backend.linux;

import io.weft.dataplane.capture.BoundedCapture;
import io.weft.dataplane.capture.CaptureFilter;
import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures and port checks of one {@link LinuxHost}. A capture is taken by the kernel through
 * libpcap (the vNIC's tap, or the interface carrying the PA; the filter as BPF) or, when libpcap is
 * not installed or cannot open the interface, at the switch. Finding and opening interfaces happen
 * off the switch's loop, which only looks up the port.
 */
final class LinuxCaptures {

  private static final Logger LOG = LoggerFactory.getLogger(LinuxCaptures.class);

  private final LinuxHost host;
  private final String underlayNetns;
  private final KernelCaptures kernel = new KernelCaptures();

  LinuxCaptures(LinuxHost host, String underlayNetns) {
    this.host = host;
    this.underlayNetns = underlayNetns;
  }

  private record Where(String ifName, String netns) {}

  private record KernelStart(String where, String failure) {}

  CompletableFuture<String> attach(String portId, BoundedCapture capture) {
    String noLibpcap = LibpcapCapture.unavailableReason();
    if (noLibpcap != null) {
      return atSwitch(portId, capture, noLibpcap);
    }
    CompletableFuture<Where> where =
        portId == null
            ? CompletableFuture.supplyAsync(this::underlayInterface, Thread::startVirtualThread)
            : host.onLoop(() -> tapOf(portId));
    return where
        .thenApplyAsync(at -> inKernel(portId, at, capture), Thread::startVirtualThread)
        .thenCompose(started ->
            started.where() != null
                ? CompletableFuture.completedFuture(started.where())
                : atSwitch(portId, capture, started.failure()));
  }

  CompletableFuture<Void> detach(String portId, BoundedCapture capture) {
    if (kernel.stop(key(portId), capture)) {
      return CompletableFuture.completedFuture(null);
    }
    return host.onLoop(() -> {
      host.switchOnLoop().detachCapture(portId, capture);
      return null;
    });
  }

  void stopKernelCaptures() {
    kernel.stopAll();
  }

  /** A port whose tap its VM has set down cannot take the frames the agent writes (EIO). */
  CompletableFuture<String> portProblem(String portId) {
    return host.onLoop(() -> host.tapOnLoop(portId))
        .thenApplyAsync(
            tap -> tap == null ? null : TapLink.problem(tap.name, tap.netns),
            Thread::startVirtualThread);
  }

  private CompletableFuture<String> atSwitch(String portId, BoundedCapture capture, String why) {
    return host.onLoop(() -> {
      host.switchOnLoop().attachCapture(portId, capture);
      return "switch (" + why + ")";
    });
  }

  private Where tapOf(String portId) {
    TapDevice tap = host.tapOnLoop(portId);
    if (tap == null) {
      throw new IllegalArgumentException("port " + portId + " is not on this host");
    }
    return new Where(tap.name, tap.netns);
  }

  private Where underlayInterface() {
    try {
      InetAddress pa = InetAddress.getByAddress(host.pa().toBytes());
      return new Where(LibpcapCapture.interfaceWith(pa, underlayNetns), underlayNetns);
    } catch (IOException e) {
      throw new IllegalStateException("no underlay interface to capture on: " + e.getMessage(), e);
    }
  }

  private KernelStart inKernel(String portId, Where at, BoundedCapture capture) {
    CaptureFilter f = capture.filter();
    try {
      String where =
          kernel.start(
              key(portId),
              at.ifName(),
              at.netns(),
              portId == null ? f.bpfForUnderlay() : f.bpfForPort(),
              portId == null,
              capture);
      return new KernelStart(where, null);
    } catch (IOException e) {
      LOG.warn("libpcap cannot capture on {}, capturing at the switch: {}", at, e.getMessage());
      return new KernelStart(null, "libpcap: " + e.getMessage());
    }
  }

  private static String key(String portId) {
    return portId == null ? KernelCaptures.UNDERLAY : portId;
  }
}
