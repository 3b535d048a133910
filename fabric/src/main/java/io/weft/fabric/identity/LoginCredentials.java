package io.weft.fabric.identity;

/**
 * What the login path needs to check a password: the stored hash stays inside the server and is
 * only ever compared, never shown.
 */
public record LoginCredentials(Account account, String passwordHash, boolean enabled) {}
