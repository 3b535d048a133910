package io.weft.fabric.tables;

import io.weft.fabric.HostId;
import io.weft.fabric.VmId;
import java.time.Instant;
import java.util.UUID;

/**
 * One live migration, make-before-break: the destination gets the port (generation {@code
 * destGeneration}), peers switch to the new PA once the destination applied it, the source drops
 * the port once every live peer applied the switch. Null instants have not happened yet.
 *
 * @param phase PORT_ON_DEST, RECORDS_SWITCHED, DONE or SUPERSEDED
 * @param peers hosts whose lookup records were switched
 * @param staleWindowMillis longest time a peer's applied table pointed at a host without the vNIC
 *     (goal 0); null until the source reported dropping the port
 */
public record MigrationRecord(
    UUID id,
    VmId vmId,
    HostId from,
    HostId to,
    String phase,
    Instant startedAt,
    Long destGeneration,
    Instant destAppliedAt,
    Instant switchedAt,
    int peers,
    Instant peersAppliedAt,
    Long sourceGeneration,
    Instant sourceDroppedAt,
    Instant sourceAppliedAt,
    Long staleWindowMillis,
    String note) {}
