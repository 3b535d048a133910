package io.weft.diagnostics.probe;

import io.weft.fabric.HostId;
import io.weft.fabric.TenantId;
import io.weft.fabric.VnicId;
import java.time.Instant;
import java.util.UUID;

/** A stored probe: what was asked, where it was sent, and the commands that carry it. */
record ProbeRow(
    UUID id,
    TenantId tenant,
    String requestedBy,
    VnicId sourceVnic,
    HostId sourceHost,
    String destination,
    HostId destinationHost,
    int count,
    int timeoutMs,
    UUID injectCommand,
    UUID watchCommand,
    String refusal,
    Instant createdAt) {}
