package io.weft.fabric;

/** A newly registered host and its agent token: the only time the token is ever shown. */
public record RegisteredHost(Host host, String agentToken) {}
