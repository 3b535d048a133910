package io.weft.fabric.internal;

import io.weft.fabric.ConflictException;
import io.weft.fabric.TenantId;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Names that must be unique within a tenant. The unique constraint on (tenant_id, name) is the
 * guarantee; this check runs first so the caller gets a 409 that names the field.
 */
enum TenantScopedName {
  VM_NETWORK("fabric_vm_network", "a VM network"),
  VM("fabric_vm", "a VM");

  private final String table;
  private final String what;

  TenantScopedName(String table, String what) {
    this.table = table;
    this.what = what;
  }

  /** Refuses {@code name} if another object of this kind (not {@code except}) already has it. */
  void requireFree(JdbcClient jdbc, TenantId tenantId, String name, UUID except) {
    boolean taken =
        jdbc.sql("SELECT id FROM " + table + " WHERE tenant_id = :tenant AND name = :name")
            .param("tenant", tenantId.value())
            .param("name", name)
            .query(UUID.class)
            .optional()
            .filter(found -> !found.equals(except))
            .isPresent();
    if (taken) {
      throw new ConflictException(what + " named '" + name + "' already exists", "name");
    }
  }
}
