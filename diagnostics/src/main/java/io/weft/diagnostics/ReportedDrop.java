package io.weft.diagnostics;

import java.time.Instant;

/**
 * One drop as an agent reported it ({@code dropRecords.records[]} of TABLE-FORMAT.md).
 *
 * @param portId the vNIC it came from, or null (underlay, unknown port)
 * @param outerSource for underlay drops, the sending PA
 */
public record ReportedDrop(
    long sequence,
    Instant at,
    String portId,
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
