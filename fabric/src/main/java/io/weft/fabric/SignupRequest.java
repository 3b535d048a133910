package io.weft.fabric;

/**
 * Self-service onboarding: a new tenant and its first administrator (who signs in with the email).
 */
public record SignupRequest(String organization, String adminEmail, String password) {}
