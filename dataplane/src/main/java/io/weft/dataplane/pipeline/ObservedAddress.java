package io.weft.dataplane.pipeline;

/**
 * An address the switch saw on a vNIC port, as an agent reports it (times are ISO-8601 instants).
 *
 * @param kind {@code SOURCE}, {@code ARP}, {@code ND}, {@code LEASE}, {@code RELEASED} or {@code
 *     SPOOF} (dropped by port security: the address the VM tried)
 * @param leaseExpires for {@code LEASE}: when the lease runs out unless renewed; otherwise null
 */
public record ObservedAddress(
    String portId,
    int vsid,
    String mac,
    String address,
    String kind,
    String firstSeen,
    String lastSeen,
    String leaseExpires) {}
