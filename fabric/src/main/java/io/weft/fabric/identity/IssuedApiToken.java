package io.weft.fabric.identity;

/** A freshly created API token with its secret: the only time the secret is ever shown. */
public record IssuedApiToken(ApiToken token, String secret) {}
