package io.weft.diagnostics;

import java.time.Instant;

/**
 * One recent drop as operators and tenants see it.
 *
 * @param host the host's name (null for tenants)
 * @param vnicId the vNIC it came from, null for traffic from the underlay
 * @param vmNetworkId null when no VM network owns it (operators only)
 * @param decidedBy the table entry or rule that dropped it
 * @param outerSource underlay drops: the sending PA (null for tenants)
 */
public record DropEntry(
    Instant at,
    String host,
    String vnicId,
    String vmNetworkId,
    int vsid,
    String source,
    String destination,
    String protocol,
    int sourcePort,
    int destinationPort,
    String reason,
    String decidedBy,
    long generation,
    String outerSource) {}
