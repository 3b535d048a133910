package io.weft.fabric;

import java.util.List;

/** A DHCP range to add; lease time defaults to a day and DNS servers to the subnet's gateway. */
public record NewDhcpRange(
    String start, String end, Integer leaseSeconds, List<String> dnsServers) {}
