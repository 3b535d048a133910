package io.weft.diagnostics;

import java.time.Instant;
import java.util.UUID;

/**
 * Where a capture is. Tenants never see the host: {@code target} names the vNIC for them.
 *
 * @param state RUNNING, DONE (the pcap can be downloaded) or FAILED ({@code error} says why)
 * @param target what is captured, e.g. "vNIC …" or "underlay of host-3"
 * @param filter the filter in words ("all packets" when none)
 * @param packets packets in the file, once DONE
 * @param sizeBytes the file's size, once DONE
 * @param stoppedBy which bound ended it: PACKETS, BYTES or SECONDS
 */
public record CaptureStatus(
    UUID id,
    String state,
    String target,
    String filter,
    int maxPackets,
    int maxSeconds,
    int maxBytes,
    Instant requestedAt,
    Instant finishedAt,
    Integer packets,
    Integer sizeBytes,
    String stoppedBy,
    String error) {}
