package io.weft.dataplane.agent;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs an action on a virtual thread when asked, never twice at once: however many requests come
 * while it runs, they make one more run after it, which sees everything they were about. A burst of
 * lease events (200 VMs booting) thus costs one status report in flight and one after it, each with
 * every lease so far, instead of one concurrent report per lease: about 100 at once per host in
 * {@code ./weft bench dhcp-fabric}, which the fabric took 1.8 s to work through.
 */
final class CoalescingRunner {

  private final String name;
  private final Runnable action;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean requested = new AtomicBoolean();

  CoalescingRunner(String name, Runnable action) {
    this.name = name;
    this.action = action;
  }

  /** Asks for a run; returns at once (it may be called on the switch thread). */
  void request() {
    requested.set(true);
    if (running.compareAndSet(false, true)) {
      Thread.ofVirtual().name(name).start(this::drain);
    }
  }

  private void drain() {
    while (true) {
      while (requested.getAndSet(false)) {
        try {
          action.run();
        } catch (RuntimeException e) {
          // the action reports its own failures; a later request runs it again
        }
      }
      running.set(false);
      // A request between the last check and the line above started no thread: take it here.
      if (!requested.get() || !running.compareAndSet(false, true)) {
        return;
      }
    }
  }
}
