package io.weft.fabric.internal;

import io.weft.fabric.HostId;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * This replica's memory of agent tokens it has seen valid: token digest → host, never the token
 * itself, never a refusal. Bounded in size (an arbitrary entry makes room: digests are spread
 * evenly, so that is a random eviction; a tenth at a time) and in age (a safety net, not what
 * revokes a token).
 *
 * <p>A lookup that missed reads the database and then {@link #remember}s what it read, unless a
 * {@link #forget} or {@link #forgetAll} ran since it took its {@link #epoch()} before reading: that
 * read may predate the revocation and must not outlive it. The check runs after the entry is in
 * place, so a revocation either sees the entry and removes it, or moved the epoch first.
 *
 * <p>While {@link #suspend suspended} (the replica cannot hear other replicas' revocations) it
 * remembers and answers nothing.
 */
final class AgentTokenCache {

  private record Entry(HostId host, long expiresAtNanos) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicLong epoch = new AtomicLong();
  private final int maxEntries;
  private final long maxAgeNanos;
  private final LongSupplier nanoTime;
  private volatile boolean answering;

  AgentTokenCache(int maxEntries, Duration maxAge, boolean answering, LongSupplier nanoTime) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive");
    }
    this.maxEntries = maxEntries;
    this.maxAgeNanos = maxAge.toNanos();
    this.answering = answering;
    this.nanoTime = nanoTime;
  }

  /** The host whose token has this digest, if remembered and not too old. */
  Optional<HostId> host(String digest) {
    if (!answering) {
      return Optional.empty();
    }
    Entry entry = entries.get(digest);
    if (entry == null) {
      return Optional.empty();
    }
    if (nanoTime.getAsLong() - entry.expiresAtNanos() >= 0) {
      entries.remove(digest, entry);
      return Optional.empty();
    }
    return Optional.of(entry.host());
  }

  /** Take before reading the database; hand to {@link #remember}. */
  long epoch() {
    return epoch.get();
  }

  /** What a read that started at {@code epochBeforeRead} found valid. */
  void remember(String digest, HostId host, long epochBeforeRead) {
    if (!answering) {
      return;
    }
    if (entries.size() >= maxEntries) {
      makeRoom();
    }
    Entry entry = new Entry(host, nanoTime.getAsLong() + maxAgeNanos);
    entries.put(digest, entry);
    if (epoch.get() != epochBeforeRead || !answering) {
      entries.remove(digest, entry);
    }
  }

  /** The host's token was rotated or the host deleted. */
  void forget(HostId host) {
    epoch.incrementAndGet();
    entries.values().removeIf(entry -> entry.host().equals(host));
  }

  /** Revocations may have been missed. */
  void forgetAll() {
    epoch.incrementAndGet();
    entries.clear();
  }

  /** Revocations cannot be heard from now on: forget everything and answer nothing. */
  void suspend() {
    answering = false;
    forgetAll();
  }

  /** Revocations are heard again (any missed meanwhile is covered by forgetting everything). */
  void resume() {
    forgetAll();
    answering = true;
  }

  int size() {
    return entries.size();
  }

  /** Drops the expired entries and then arbitrary ones down to 90 %: one scan per many misses. */
  private void makeRoom() {
    long now = nanoTime.getAsLong();
    entries.values().removeIf(entry -> now - entry.expiresAtNanos() >= 0);
    int target = maxEntries - Math.max(1, maxEntries / 10);
    Iterator<String> any = entries.keySet().iterator();
    while (entries.size() > target && any.hasNext()) {
      any.next();
      any.remove();
    }
  }
}
