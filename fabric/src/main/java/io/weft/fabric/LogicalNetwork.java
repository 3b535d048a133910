package io.weft.fabric;

/** A provider network (a site or rack group): the PA pool its hosts are numbered from. */
public record LogicalNetwork(
    LogicalNetworkId id,
    String name,
    String paCidr,
    Encapsulation encapsulation,
    int mtu,
    int hostCount) {}
