package io.weft.diagnostics.connectivity;

import io.weft.diagnostics.TraceAnswer;
import io.weft.fabric.TenantId;
import java.time.Instant;
import java.util.UUID;

/**
 * A check as stored: its probe and the traces taken when it was asked.
 *
 * @param tenant the source vNIC's tenant (who may read it, besides operators)
 * @param icmp the traced packet was an ICMP echo (the probe's own kind)
 * @param operatorView asked by an operator: the traces name hosts and PAs, so only operators read
 *     it
 * @param trace the trace over intended tables with its applied comparison
 */
record CheckRow(
    UUID id,
    TenantId tenant,
    String requestedBy,
    UUID probe,
    boolean icmp,
    boolean operatorView,
    TraceAnswer trace,
    Instant createdAt) {}
