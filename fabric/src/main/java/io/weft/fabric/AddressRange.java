package io.weft.fabric;

/** An inclusive range of addresses as text, e.g. 10.0.0.100–10.0.0.199. */
public record AddressRange(String start, String end) {}
