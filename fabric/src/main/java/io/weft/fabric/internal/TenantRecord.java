package io.weft.fabric.internal;

import io.weft.fabric.Quotas;
import io.weft.fabric.TenantId;
import io.weft.fabric.TenantState;
import java.time.Instant;

/** A tenant row as the implementation reads it. */
record TenantRecord(
    TenantId id, String name, String slug, TenantState state, Quotas quotas, Instant createdAt) {}
