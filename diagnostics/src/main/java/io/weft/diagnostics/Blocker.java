package io.weft.diagnostics;

/**
 * Something that stops the packet, with the change that would fix it.
 *
 * @param where the host, vNIC or VM network it concerns (no host names for tenants)
 * @param cause what is wrong, in the product's words
 * @param fix what to change so it works
 * @param assumedFixed the trace continued past this blocker as if it were fixed
 */
public record Blocker(String where, String cause, String fix, boolean assumedFixed) {}
