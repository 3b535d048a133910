package io.weft.fabric;

import java.util.List;

/**
 * Reading the audit log, newest first (ties broken by id): operators see everything, tenant admins
 * their tenant's lines.
 */
public interface AuditLog {

  /** The latest lines, for dashboards. */
  List<AuditEntry> recent(Caller caller, TenantId tenantOrNull, int limit);

  /** One page of the lines that match the query; paging on reaches the oldest line. */
  Page<AuditEntry> page(Caller caller, AuditQuery query, PageRequest page);
}
