package io.weft.diagnostics;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One run of a scheduled job.
 *
 * @param trigger {@code SCHEDULED}, {@code MANUAL} or {@code RECOVERY}
 * @param status {@code RUNNING}, {@code SUCCEEDED}, {@code FAILED}, {@code ABANDONED} (its replica
 *     died) or {@code SKIPPED} (paused)
 * @param openByCategory open findings per category after the run
 */
public record ReconciliationRun(
    UUID id,
    String job,
    String trigger,
    String node,
    String status,
    boolean dryRun,
    Instant startedAt,
    Instant finishedAt,
    int scopes,
    long allocations,
    long observations,
    int findingsOpen,
    int findingsNew,
    int findingsClosed,
    int fixed,
    Map<FindingCategory, Integer> openByCategory,
    String message) {}
