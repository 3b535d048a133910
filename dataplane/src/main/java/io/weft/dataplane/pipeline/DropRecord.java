package io.weft.dataplane.pipeline;

import java.time.Instant;

/**
 * One dropped frame as the switch recorded it, read back from a {@link DropRing}.
 *
 * @param sequence the drop's number on this switch, from 0 since it started
 * @param at when (wall time taken once at start, advanced by the monotonic clock)
 * @param portId the vNIC it came from, or null for the underlay
 * @param vsid the VSID of the vNIC's subnet, or of the encapsulated packet; 0 when unknown
 * @param source the inner source address (ARP: the sender), or null when not parsed
 * @param destination the inner destination address (ARP: the target), or null
 * @param protocol ICMP, ICMPv6, TCP, UDP, ARP, {@code IP <n>} or {@code EtherType 0x…}; null when
 *     not parsed
 * @param sourcePort TCP/UDP source port (ICMP: type), else 0
 * @param destinationPort TCP/UDP destination port (ICMP: code), else 0
 * @param reason the drop counter it went to
 * @param decidedBy the table entry or rule that dropped it, in words
 * @param generation the table generation in force
 * @param outerSource for packets from the underlay, the sending PA (operators only); else null
 */
public record DropRecord(
    long sequence,
    Instant at,
    String portId,
    int vsid,
    String source,
    String destination,
    String protocol,
    int sourcePort,
    int destinationPort,
    DropReason reason,
    String decidedBy,
    long generation,
    String outerSource) {}
