package io.weft.fabric.tables.internal;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Counters of the incremental path, so tests can assert that a change touched only the hosts it
 * should and the benchmark can report compile time per change.
 */
@Component
public class CompileStats {

  private final AtomicLong compiles = new AtomicLong();
  private final AtomicLong hostsTouched = new AtomicLong();
  private final AtomicLong nanos = new AtomicLong();
  private volatile int lastHostsTouched;
  private volatile long lastNanos;

  void record(int hosts, long elapsedNanos) {
    compiles.incrementAndGet();
    hostsTouched.addAndGet(hosts);
    nanos.addAndGet(elapsedNanos);
    lastHostsTouched = hosts;
    lastNanos = elapsedNanos;
  }

  public long compiles() {
    return compiles.get();
  }

  public long hostsTouched() {
    return hostsTouched.get();
  }

  public long totalNanos() {
    return nanos.get();
  }

  /** Hosts whose table the last compile on this replica changed. */
  public int lastHostsTouched() {
    return lastHostsTouched;
  }

  public long lastNanos() {
    return lastNanos;
  }
}
