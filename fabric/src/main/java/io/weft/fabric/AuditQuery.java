package io.weft.fabric;

import java.time.Instant;
import java.util.Locale;

/**
 * Which audit lines to read; every part is optional (null or blank means "any").
 *
 * @param tenant one tenant's lines; required for tenant administrators, who see only their own
 * @param since lines at or after this instant
 * @param until lines strictly before this instant
 * @param text lines whose actor, action, target, result or detail contain this (any case)
 */
public record AuditQuery(TenantId tenant, Instant since, Instant until, String text) {

  public AuditQuery {
    if (since != null && until != null && !since.isBefore(until)) {
      throw new InvalidRequestException("since must be before until", "since");
    }
    text = text == null || text.isBlank() ? null : text.strip().toLowerCase(Locale.ROOT);
  }

  /** Every line the caller may see (for a tenant administrator: pass the tenant). */
  public static AuditQuery of(TenantId tenantOrNull) {
    return new AuditQuery(tenantOrNull, null, null, null);
  }
}
