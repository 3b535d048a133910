package io.weft.fabric;

import java.time.Instant;

/** A customer of the cloud, with its quotas and how much of them it uses. */
public record Tenant(
    TenantId id,
    String name,
    String slug,
    TenantState state,
    Quotas quotas,
    Quotas usage,
    Instant createdAt) {}
