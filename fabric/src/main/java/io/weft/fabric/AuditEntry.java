package io.weft.fabric;

import java.time.Instant;

/** One line of the audit log: who did what, to which tenant's object, and how it ended. */
public record AuditEntry(
    long id,
    Instant at,
    String actor,
    String tenantId,
    String action,
    String target,
    String result,
    String detail) {}
