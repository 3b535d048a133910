package io.weft.diagnostics.reconciliation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Starts and ends one run of a scheduled job under its {@link JobGuard} row, the same way for every
 * job: a paused job's scheduled firing is skipped; a scheduled firing gives way at once to a run
 * elsewhere, while a recovered job waits for a dead replica's guard to go stale, and "run now" for
 * a running one to finish, instead of being lost.
 */
@Component
class GuardedRuns {

  private static final Logger log = LoggerFactory.getLogger(GuardedRuns.class);

  static final String SCHEDULED = "SCHEDULED";

  private final JobGuard guard;
  private final Clock clock;

  GuardedRuns(JobGuard guard, Clock clock) {
    this.guard = guard;
    this.clock = clock;
  }

  /** The new run's id with the guard held, or empty when this firing does not run. */
  Optional<UUID> begin(String job, String trigger) {
    if (SCHEDULED.equals(trigger) && guard.paused(job)) {
      log.debug("{} is paused; scheduled firing skipped", job);
      return Optional.empty();
    }
    UUID runId = UUID.randomUUID();
    String node = ReplicaName.current();
    Instant deadline =
        clock
            .instant()
            .plus(SCHEDULED.equals(trigger) ? Duration.ZERO : guard.staleAfter().plusSeconds(10));
    Optional<Optional<UUID>> acquired;
    while ((acquired = guard.tryAcquire(job, runId, node)).isEmpty()) {
      if (!clock.instant().isBefore(deadline)) {
        log.info("{} already running elsewhere; {} firing skipped", job, trigger);
        return Optional.empty();
      }
      sleep(Duration.ofMillis(500));
    }
    acquired
        .get()
        .ifPresent(old -> log.warn("Run {} was abandoned by its replica; taken over", old));
    return Optional.of(runId);
  }

  /** Keeps the guard; false if the run lost it (it was taken over), so the run must stop. */
  boolean heartbeat(String job, UUID runId) {
    return guard.heartbeat(job, runId);
  }

  void end(String job, UUID runId) {
    guard.release(job, runId);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the job guard", e);
    }
  }
}
