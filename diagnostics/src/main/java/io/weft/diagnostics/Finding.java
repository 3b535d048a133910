package io.weft.diagnostics;

import java.time.Instant;
import java.util.UUID;

/**
 * One drift, identified across runs by (scope, address, category).
 *
 * @param scope {@code vm-network:<id>} (a VM network's CA space) or {@code logical-network:<id>} (a
 *     logical network's PA space)
 * @param tenantId the tenant owning the VM network, or null for provider scopes
 * @param evidence what the run saw, in words (allocation owner, ports, MACs, hosts, times)
 */
public record Finding(
    UUID id,
    String scope,
    String address,
    FindingCategory category,
    FindingState state,
    UUID tenantId,
    String evidence,
    Instant firstSeenAt,
    Instant lastSeenAt,
    Instant closedAt,
    String resolution,
    String resolutionReason,
    String resolvedBy) {}
