package io.weft.fabric;

/** A vNIC to create: STATIC with an address, STATIC numbered from the static range, or DHCP. */
public record NewVnic(String subnetId, String addressing, String address) {}
