package io.weft.diagnostics;

import java.time.Instant;

/** A scheduled job as operators see it. */
public record ScheduledJob(
    String name, String schedule, boolean paused, Instant nextFireAt, String description) {}
