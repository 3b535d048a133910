package io.weft.fabric;

/** How much of an address space is allocated. */
public record Utilisation(String size, String allocated, double percent) {}
