package io.weft.diagnostics.command;

import io.weft.fabric.wakeup.ReplicaNotifications;
import io.weft.fabric.wakeup.WakeUpSignals;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;

/**
 * Wakes this replica's waiters: agents' command long-polls ("a command for host H") and callers
 * waiting for a result ("command C finished"). Works like the table long-poll's wake-ups (the
 * fabric's {@link WakeUpSignals}): a waiter takes its signal before it reads the database, so a
 * commit in between is never missed; a signal is only a hint and the woken waiter rereads the row.
 * On PostgreSQL each change also sends a NOTIFY on {@link #CHANNEL} inside its transaction
 * (delivered at commit, never for a rollback) that {@link ReplicaNotifications} turns into local
 * signals on every replica.
 */
class CommandSignals implements ReplicaNotifications.Subscriber {

  static final String CHANNEL = "weft_agent_commands";

  private final WakeUpSignals<String> signals = new WakeUpSignals<>();
  private final ReplicaNotifications replicas;
  private final List<Consumer<UUID>> hostListeners = new CopyOnWriteArrayList<>();
  private final IdleHosts idle = new IdleHosts();

  CommandSignals(ReplicaNotifications replicas) {
    this.replicas = replicas;
    replicas.subscribe(CHANNEL, this);
  }

  static String forHost(UUID host) {
    return "h:" + host;
  }

  static String forCommand(UUID command) {
    return "c:" + command;
  }

  /** The signal to wait on; take it before reading the database. */
  CompletableFuture<Void> signal(String key) {
    return signals.signal(key);
  }

  /** Waits until signalled or the time is up; true if signalled. */
  static boolean await(CompletableFuture<Void> signal, Duration max) {
    return WakeUpSignals.await(signal, max);
  }

  void wake(String key) {
    signals.wake(key);
  }

  /** Inside the writing transaction: the hint for the other replicas, sent at commit. */
  void notifyOnCommit(String key) {
    replicas.notifyOnCommit(CHANNEL, key);
  }

  /** Tells {@code listener} the host of every "command for host H" signal sent or received here. */
  void whenHostSignalled(Consumer<UUID> listener) {
    hostListeners.add(listener);
  }

  /** A command for {@code host} was queued (on this replica or, by NOTIFY, on another). */
  void commandQueued(UUID host) {
    idle.forget(host); // before the wake-ups: a woken poll must ask the database
    signals.wake(forHost(host));
    hostListeners.forEach(l -> l.accept(host));
  }

  /**
   * Whether {@code host} has pending commands: from memory when this replica found it idle since
   * the last signal for it ({@link IdleHosts}), else by {@code read}.
   */
  boolean hasPending(UUID host, BooleanSupplier read) {
    return idle.hasPending(host, read);
  }

  @Override
  public void notified(String payload) {
    if (payload == null || payload.isBlank()) {
      return;
    }
    String key = payload.strip();
    if (key.startsWith("h:")) {
      try {
        commandQueued(UUID.fromString(key.substring(2)));
        return;
      } catch (IllegalArgumentException notAHost) {
        // not ours; a hint is only a hint
      }
    }
    signals.wake(key);
  }

  @Override
  public void mayHaveMissedNotifications() {
    // A command queued meanwhile for a host known idle here: its table poll must ask again.
    idle.forgetAll().forEach(host -> hostListeners.forEach(l -> l.accept(host)));
    signals.wakeAll();
  }

  /** The application is closing: end every long-poll now, so shutdown does not wait them out. */
  @EventListener(ContextClosedEvent.class)
  void closing() {
    signals.close();
  }

  boolean isClosing() {
    return signals.isClosing();
  }
}
