package io.weft.diagnostics;

import java.util.List;

/**
 * What one agent report adds for reconciliation; every part optional (null when not reported).
 *
 * @param providerAddress the PA the host actually uses
 * @param clockOffsetMs the host's clock offset against its NTP server, in milliseconds
 */
public record HostObservations(
    String providerAddress,
    Long clockOffsetMs,
    String clockServer,
    List<ObservedAddress> addresses) {}
