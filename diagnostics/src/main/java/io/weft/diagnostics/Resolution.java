package io.weft.diagnostics;

/**
 * An operator's decision on a finding.
 *
 * @param action {@code RELEASE} (give the address back to IPAM: only where Weft owns it and no vNIC
 *     of Weft still uses it), {@code REASSIGN} (give the address to the vNIC named by {@code
 *     vnicId}, usually the one seen using it: IPAM and the model then agree with what is observed;
 *     only when the address is free or its owner is gone) or {@code IGNORE} (needs a reason)
 * @param vnicId for {@code REASSIGN}: a vNIC of the finding's VM network
 */
public record Resolution(String action, String reason, String vnicId) {

  public Resolution(String action, String reason) {
    this(action, reason, null);
  }
}
