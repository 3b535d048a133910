package io.weft.fabric;

import java.time.Instant;

/** A tenant's routing domain: its subnets route to each other and never to another VM network. */
public record VmNetwork(
    VmNetworkId id, TenantId tenantId, String name, int subnetCount, Instant createdAt) {}
