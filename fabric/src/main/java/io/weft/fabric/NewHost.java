package io.weft.fabric;

/** A host to register; its PA is taken from the logical network's pool unless given. */
public record NewHost(
    String name, String logicalNetworkId, String providerAddress, Integer vmSlots) {}
