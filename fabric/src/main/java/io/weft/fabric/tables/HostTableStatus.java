package io.weft.fabric.tables;

import io.weft.fabric.HostId;
import java.time.Instant;

/**
 * A host's intended table against what its agent applied.
 *
 * @param intendedDigest null when not computed (agent-facing answers skip it)
 * @param appliedGeneration -1 before the first report
 * @param lag how many generations the agent is behind
 * @param inSync applied generation and digest equal the intended ones
 */
public record HostTableStatus(
    HostId hostId,
    long intendedGeneration,
    String intendedDigest,
    long appliedGeneration,
    String appliedDigest,
    long lag,
    boolean inSync,
    Instant lastSeenAt,
    String lastRejection) {}
