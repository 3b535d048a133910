package io.weft.diagnostics.command;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Wakes this replica's waiters: agents' command long-polls ("a command for host H") and callers
 * waiting for a result ("command C finished"). Works like the table long-poll's wake-ups: a waiter
 * takes its signal before it reads the database, so a commit in between is never missed; a signal
 * is only a hint and the woken waiter rereads the row. On PostgreSQL each change also sends a
 * NOTIFY inside its transaction (delivered at commit, never for a rollback) that {@link
 * PgCommandListener} turns into local signals on every replica.
 */
class CommandSignals {

  static final String CHANNEL = "weft_agent_commands";

  private final Map<String, CompletableFuture<Void>> signals = new ConcurrentHashMap<>();
  private final JdbcClient jdbc;
  private final boolean postgres;
  private volatile boolean closing;

  CommandSignals(JdbcClient jdbc, boolean postgres) {
    this.jdbc = jdbc;
    this.postgres = postgres;
  }

  static String forHost(UUID host) {
    return "h:" + host;
  }

  static String forCommand(UUID command) {
    return "c:" + command;
  }

  /** The signal to wait on; take it before reading the database. */
  CompletableFuture<Void> signal(String key) {
    return signals.computeIfAbsent(key, k -> new CompletableFuture<>());
  }

  /** Waits until signalled or the time is up; true if signalled. */
  static boolean await(CompletableFuture<Void> signal, Duration max) {
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

  void wake(String key) {
    CompletableFuture<Void> f = signals.remove(key);
    if (f != null) {
      f.complete(null);
    }
  }

  void wakeAll() {
    for (String key : signals.keySet()) {
      wake(key);
    }
  }

  /** Inside the writing transaction: the hint for the other replicas, sent at commit. */
  void notifyOnCommit(String key) {
    if (postgres) {
      jdbc.sql("SELECT pg_notify(:channel, :payload)")
          .param("channel", CHANNEL)
          .param("payload", key)
          .query()
          .listOfRows();
    }
  }

  /** A NOTIFY payload from any replica. */
  void notified(String payload) {
    if (payload != null && !payload.isBlank()) {
      wake(payload.strip());
    }
  }

  /** The application is closing: end every long-poll now, so shutdown does not wait them out. */
  @EventListener(ContextClosedEvent.class)
  void closing() {
    closing = true;
    wakeAll();
  }

  boolean isClosing() {
    return closing;
  }
}
