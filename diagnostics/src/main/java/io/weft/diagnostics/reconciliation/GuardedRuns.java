package io.weft.diagnostics.reconciliation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
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
  private final RunLedger ledger;
  private final Clock clock;

  GuardedRuns(JobGuard guard, RunLedger ledger, Clock clock) {
    this.guard = guard;
    this.ledger = ledger;
    this.clock = clock;
  }

  /**
   * What a run of a job other than the reconciliation says in the run history when it succeeds: its
   * totals (zero where they do not apply) and a message (empty for none).
   */
  record Summary(RunLedger.Totals totals, String message) {

    /** A run that only says what it did. */
    static Summary message(String message) {
      return new Summary(new RunLedger.Totals(0, 0, 0, 0, 0, 0, 0, Map.of()), message);
    }
  }

  /**
   * One run of {@code job} under its guard, recorded in the run history like the reconciliation's
   * runs: started, then succeeded with what {@code work} answers, or failed with its exception's
   * message. Answers the run's id, or empty when this firing did not run (paused, or running
   * elsewhere).
   */
  Optional<UUID> run(String job, String trigger, Instant scheduledFireAt, Supplier<Summary> work) {
    Optional<UUID> begun = begin(job, trigger);
    if (begun.isEmpty()) {
      return Optional.empty();
    }
    UUID runId = begun.get();
    try {
      ledger.started(
          runId, job, trigger, scheduledFireAt, ReplicaName.current(), false, clock.instant());
      Summary summary = work.get();
      ledger.succeeded(runId, summary.totals(), summary.message(), clock.instant());
    } catch (RuntimeException e) {
      log.warn("{} run {} failed", job, runId, e);
      ledger.failed(runId, String.valueOf(e.getMessage()), clock.instant());
    } finally {
      end(job, runId);
    }
    return Optional.of(runId);
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
