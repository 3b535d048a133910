package io.weft.fabric.tables.internal;

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
import org.springframework.stereotype.Component;

/**
 * Wakes long-polls when a host's table changed. A waiter takes the host's signal before it reads
 * the change log, so a commit between the read and the wait is never missed. Signals are only
 * hints: a woken poll rereads the log, the truth. On PostgreSQL each commit also sends a NOTIFY
 * (delivered at commit, so never for a rolled-back change) that {@link PgWakeUpListener} turns into
 * local signals on every other replica.
 */
@Component
class WakeUps {

  static final String CHANNEL = "weft_tables";

  /** NOTIFY payloads must stay under 8000 bytes; beyond this many hosts, wake everyone. */
  private static final int MAX_HOSTS_IN_PAYLOAD = 150;

  private final Map<UUID, CompletableFuture<Void>> signals = new ConcurrentHashMap<>();
  private volatile boolean closing;
  private final JdbcClient jdbc;
  private final DatabaseKind database;

  WakeUps(JdbcClient jdbc, DatabaseKind database) {
    this.jdbc = jdbc;
    this.database = database;
  }

  /** The signal to wait on; take it before reading the change log. */
  CompletableFuture<Void> signal(UUID host) {
    return signals.computeIfAbsent(host, h -> new CompletableFuture<>());
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

  void wake(UUID host) {
    CompletableFuture<Void> f = signals.remove(host);
    if (f != null) {
      f.complete(null);
    }
  }

  void wakeAll() {
    for (UUID host : signals.keySet()) {
      wake(host);
    }
  }

  /**
   * The application is closing: end every long-poll now (they answer "no change"), so a graceful
   * shutdown does not wait out each agent's 30 s poll. Runs before the web server stops.
   */
  @EventListener(ContextClosedEvent.class)
  void closing() {
    closing = true;
    wakeAll();
  }

  boolean isClosing() {
    return closing;
  }

  /** Inside the committing transaction: the cross-replica hint, sent by PostgreSQL on commit. */
  void beforeCommit(Map<UUID, Long> generations) {
    if (!database.isPostgres() || generations.isEmpty()) {
      return;
    }
    String payload =
        generations.size() > MAX_HOSTS_IN_PAYLOAD
            ? "*"
            : String.join(",", generations.keySet().stream().map(UUID::toString).toList());
    jdbc.sql("SELECT pg_notify(:channel, :payload)")
        .param("channel", CHANNEL)
        .param("payload", payload)
        .query()
        .listOfRows();
  }

  /** After the commit: wake this replica's long-polls at once. */
  void committed(Map<UUID, Long> generations) {
    generations.keySet().forEach(this::wake);
  }

  /** A NOTIFY payload from any replica. */
  void notified(String payload) {
    if (payload == null || payload.isBlank() || payload.equals("*")) {
      wakeAll();
      return;
    }
    for (String id : payload.split(",")) {
      try {
        wake(UUID.fromString(id.strip()));
      } catch (IllegalArgumentException ignored) {
        // not ours; a hint is only a hint
      }
    }
  }
}
