package io.weft.fabric.identity;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * An account as callers see it: never the password hash.
 *
 * @param tenantId the tenant a tenant user belongs to; empty for operators
 */
public record Account(
    AccountId id, String username, Role role, Optional<UUID> tenantId, Instant createdAt) {}
