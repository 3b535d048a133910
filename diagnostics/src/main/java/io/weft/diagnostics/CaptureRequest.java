package io.weft.diagnostics;

/**
 * A bounded capture to start. Every bound is required and limited (a capture without bounds or
 * beyond the limits is refused naming the field); the filter is optional.
 *
 * @param vnicId capture this vNIC's frames, both directions (Ethernet); or
 * @param hostId (operators) capture this host's underlay (raw IPv4: NVGRE/VXLAN as sent/received)
 * @param packets stop after this many packets
 * @param seconds stop after this many seconds
 * @param bytes stop before the file would exceed this many bytes (pcap headers included)
 * @param vsid underlay captures: only packets of this VSID
 * @param address only packets from or to this customer address: IPv4 (keeps IPv4 packets only) or
 *     IPv6 (IPv6 packets only; inside NVGRE/VXLAN on the underlay as well)
 * @param protocol only ICMP, ICMPv6, TCP or UDP (the IPv4 protocol or the IPv6 next header; ICMP
 *     with an IPv6 address means ICMPv6)
 */
public record CaptureRequest(
    String vnicId,
    String hostId,
    Integer packets,
    Integer seconds,
    Integer bytes,
    Integer vsid,
    String address,
    String protocol) {}
