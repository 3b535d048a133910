package io.weft.diagnostics;

/**
 * Which drops to list. Text fields so a bad value is answered with the field's name.
 *
 * @param vmNetwork a VM network id: its drops; a tenant may only name its own (else 404)
 * @param host a host id (operators only): drops on that host
 * @param limit at most this many, newest first: 1..1000, default 100
 */
public record DropQuery(String vmNetwork, String host, Integer limit) {}
