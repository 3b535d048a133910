package io.weft.fabric;

/** A logical network to create; encapsulation defaults to NVGRE and MTU to 1500. */
public record NewLogicalNetwork(String name, String paCidr, String encapsulation, Integer mtu) {}
