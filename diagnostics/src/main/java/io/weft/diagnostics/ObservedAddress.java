package io.weft.diagnostics;

import java.time.Instant;

/**
 * An address an agent saw on one of its ports.
 *
 * @param kind {@code SOURCE} (source address of the vNIC's packets), {@code ARP} / {@code ND}
 *     (announced), {@code LEASE} (handed out by DHCP), {@code RELEASED} (DHCP release), {@code
 *     SPOOF} (dropped by port security: the address the VM tried)
 * @param leaseExpiresAt for {@code LEASE}: when the lease runs out unless renewed
 */
public record ObservedAddress(
    String portId,
    int vsid,
    String mac,
    String address,
    String kind,
    Instant firstSeenAt,
    Instant lastSeenAt,
    Instant leaseExpiresAt) {}
