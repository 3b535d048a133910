package io.weft.fabric.identity;

import java.time.Instant;
import java.util.UUID;

/** A personal API token as its owner sees it: never the secret, which is shown once at creation. */
public record ApiToken(UUID id, String name, Instant createdAt, Instant lastUsedAt) {}
