package io.weft.diagnostics;

/**
 * An operator's decision on a finding.
 *
 * @param action {@code RELEASE} (give the address back to IPAM: only where Weft owns it and no vNIC
 *     of Weft still uses it) or {@code IGNORE} (needs a reason)
 */
public record Resolution(String action, String reason) {}
