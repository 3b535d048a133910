package io.weft.fabric;

import java.util.List;

/** Reading the audit log: operators see everything, tenant admins their tenant's lines. */
public interface AuditLog {

  List<AuditEntry> recent(Caller caller, TenantId tenantOrNull, int limit);
}
