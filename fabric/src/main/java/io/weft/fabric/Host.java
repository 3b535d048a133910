package io.weft.fabric;

import java.time.Instant;

/**
 * A hypervisor with its data-plane agent.
 *
 * @param appliedGeneration the table generation its agent last reported applying, -1 if none
 */
public record Host(
    HostId id,
    String name,
    LogicalNetworkId logicalNetworkId,
    String providerAddress,
    int vmSlots,
    int vmCount,
    HostState state,
    long appliedGeneration,
    Instant lastSeenAt,
    Instant createdAt) {}
