package io.weft.fabric;

import java.util.List;

/** Addresses the data plane's DHCP responder hands out for a subnet. */
public record DhcpRange(
    DhcpRangeId id,
    SubnetId subnetId,
    String start,
    String end,
    int leaseSeconds,
    List<String> dnsServers,
    Utilisation utilisation) {}
