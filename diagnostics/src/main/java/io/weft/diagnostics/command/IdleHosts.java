package io.weft.diagnostics.command;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Hosts this replica has found without pending commands since the last "command queued" signal for
 * them, so the start of their agents' table polls (one per host and wait) asks the database nothing
 * about commands. Sound because every queued command is signalled on every replica after its commit
 * (at once where it was queued, by NOTIFY elsewhere), and that signal forgets the host here before
 * it wakes the host's waiting poll, which then asks the database; a replica that may have missed
 * notifications forgets every host. Commands only ever leave PENDING otherwise (taken, expired),
 * which keeps an idle host idle.
 */
final class IdleHosts {

  private final Set<UUID> idle = ConcurrentHashMap.newKeySet();

  /** Counts forgetting, so a read that overlapped a signal does not remember its stale answer. */
  private final AtomicLong forgettings = new AtomicLong();

  /**
   * Whether the host has pending commands: false from memory when known idle, else {@code read}.
   */
  boolean hasPending(UUID host, BooleanSupplier read) {
    if (idle.contains(host)) {
      return false;
    }
    long before = forgettings.get();
    boolean pending = read.getAsBoolean();
    if (!pending) {
      idle.add(host);
      // A signal since the read began may have come before the add (then its removal missed it):
      // take the entry back. One after this check removes it itself.
      if (forgettings.get() != before) {
        idle.remove(host);
      }
    }
    return pending;
  }

  /** A command may have been queued for the host: ask the database next time. */
  void forget(UUID host) {
    forgettings.incrementAndGet();
    idle.remove(host);
  }

  /** Notifications may have been missed: forgets every host; returns the hosts it knew idle. */
  Set<UUID> forgetAll() {
    forgettings.incrementAndGet();
    Set<UUID> known = Set.copyOf(idle);
    idle.removeAll(known);
    return known;
  }
}
