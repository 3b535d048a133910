package io.weft.fabric;

/** Where a VM runs: shown to operators only, never to tenants. */
public record Placement(HostId hostId, String hostName, String providerAddress) {}
