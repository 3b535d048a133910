/**
 * Authentication and the HTTP security chains for the API and the Vaadin UI, with the measures
 * around sign-in: throttled guessing without lockouts, CSRF on the login form, a new session id at
 * sign-in, sessions ended by a password change, and security events in the audit log.
 */
package io.weft.portal.security;
