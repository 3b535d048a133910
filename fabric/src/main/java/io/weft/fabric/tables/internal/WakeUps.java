package io.weft.fabric.tables.internal;

import io.weft.fabric.wakeup.ReplicaNotifications;
import io.weft.fabric.wakeup.WakeUpSignals;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Wakes long-polls when a host's table changed. A waiter takes the host's signal before it reads
 * the change log, so a commit between the read and the wait is never missed. Signals are only
 * hints: a woken poll rereads the log, the truth. On PostgreSQL each commit also sends a NOTIFY on
 * {@link #CHANNEL} (delivered at commit, so never for a rolled-back change) that {@link
 * ReplicaNotifications} turns into local signals on every other replica.
 */
@Component
class WakeUps implements ReplicaNotifications.Subscriber {

  static final String CHANNEL = "weft_tables";

  /** NOTIFY payloads must stay under 8000 bytes; beyond this many hosts, wake everyone. */
  private static final int MAX_HOSTS_IN_PAYLOAD = 150;

  private final WakeUpSignals<UUID> signals = new WakeUpSignals<>();
  private final ReplicaNotifications replicas;

  WakeUps(ReplicaNotifications replicas) {
    this.replicas = replicas;
    replicas.subscribe(CHANNEL, this);
  }

  /** The signal to wait on; take it before reading the change log. */
  CompletableFuture<Void> signal(UUID host) {
    return signals.signal(host);
  }

  /** Waits until signalled or the time is up; true if signalled. */
  static boolean await(CompletableFuture<Void> signal, Duration max) {
    return WakeUpSignals.await(signal, max);
  }

  /**
   * The application is closing: end every long-poll now (they answer "no change"), so a graceful
   * shutdown does not wait out each agent's 30 s poll. Runs before the web server stops.
   */
  @EventListener(ContextClosedEvent.class)
  void closing() {
    signals.close();
  }

  boolean isClosing() {
    return signals.isClosing();
  }

  /** Inside the committing transaction: the cross-replica hint, sent by PostgreSQL on commit. */
  void beforeCommit(Map<UUID, Long> generations) {
    if (!replicas.acrossReplicas() || generations.isEmpty()) {
      return;
    }
    String payload =
        generations.size() > MAX_HOSTS_IN_PAYLOAD
            ? "*"
            : String.join(",", generations.keySet().stream().map(UUID::toString).toList());
    replicas.notifyOnCommit(CHANNEL, payload);
  }

  /** Wakes the host's long-polls here, which look again (HostTableService.wakeLongPolls). */
  void wake(UUID host) {
    signals.wake(host);
  }

  /** After the commit: wake this replica's long-polls at once. */
  void committed(Map<UUID, Long> generations) {
    generations.keySet().forEach(signals::wake);
  }

  @Override
  public void notified(String payload) {
    if (payload == null || payload.isBlank() || payload.equals("*")) {
      signals.wakeAll();
      return;
    }
    for (String id : payload.split(",")) {
      try {
        signals.wake(UUID.fromString(id.strip()));
      } catch (IllegalArgumentException ignored) {
        // not ours; a hint is only a hint
      }
    }
  }

  @Override
  public void mayHaveMissedNotifications() {
    signals.wakeAll();
  }
}
