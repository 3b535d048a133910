package io.weft.fabric.wakeup;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * This replica's waiters, by key (a host, a command). A waiter takes its key's signal before it
 * reads the database, so a commit between the read and the wait is never missed; a signal is only a
 * hint and the woken waiter rereads the database, the truth.
 *
 * @param <K> what a waiter waits for
 */
public final class WakeUpSignals<K> {

  private final Map<K, CompletableFuture<Void>> signals = new ConcurrentHashMap<>();
  private volatile boolean closing;

  /** The signal to wait on; take it before reading the database. */
  public CompletableFuture<Void> signal(K key) {
    return signals.computeIfAbsent(key, k -> new CompletableFuture<>());
  }

  /** Waits until signalled or the time is up; true if signalled. */
  public static boolean await(CompletableFuture<Void> signal, Duration max) {
    if (max.isNegative() || max.isZero()) {
      return false;
    }
    try {
      signal.get(max.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      return true;
    }
  }

  public void wake(K key) {
    CompletableFuture<Void> f = signals.remove(key);
    if (f != null) {
      f.complete(null);
    }
  }

  public void wakeAll() {
    for (K key : signals.keySet()) {
      wake(key);
    }
  }

  /**
   * The application is closing: every waiter is woken now and {@link #isClosing()} tells it not to
   * wait again, so a graceful shutdown does not wait out each long-poll.
   */
  public void close() {
    closing = true;
    wakeAll();
  }

  public boolean isClosing() {
    return closing;
  }
}
