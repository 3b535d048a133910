package io.weft.fabric;

/**
 * Writes security events (sign-ins, failed sign-ins, refused access, password changes) into the
 * same audit log as the fabric's own changes, so operators and tenant admins read one history.
 * Called by the portal's security layer, which knows about HTTP; the fabric does not.
 */
public interface SecurityAuditLog {

  /**
   * Records one security event.
   *
   * @param actor the user name the event is about (as typed, for a failed sign-in)
   * @param tenantOrNull the tenant of that user, so its admins see it; null for operators and
   *     unknown users
   * @param action e.g. {@code login}, {@code login.failed}, {@code access.denied}
   * @param target what was asked for, e.g. a path; may be null
   * @param result {@code OK}, {@code REFUSED} or {@code THROTTLED}
   * @param detail free text such as the client address; may be null
   */
  void record(
      String actor,
      TenantId tenantOrNull,
      String action,
      String target,
      String result,
      String detail);

  /** Records that {@code caller} was refused {@code action} on {@code target}, and why. */
  default void refused(Caller caller, String action, String target, String reason) {
    record(caller.username(), caller.tenant().orElse(null), action, target, "REFUSED", reason);
  }
}
