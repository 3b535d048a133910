package io.weft.fabric.internal;

import io.weft.fabric.AccessDeniedException;
import io.weft.fabric.Caller;
import io.weft.fabric.ConflictException;
import io.weft.fabric.NotFoundException;
import io.weft.fabric.Quotas;
import io.weft.fabric.TenantId;
import io.weft.fabric.TenantState;
import io.weft.fabric.identity.Role;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The one place that decides whether a caller may touch a tenant. Another tenant's objects are
 * reported as not found, exactly like objects that do not exist, so nothing leaks.
 */
@Component
class Authorizer {

  private final JdbcClient jdbc;

  Authorizer(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The tenant, if the caller may read it. */
  TenantRecord readableTenant(Caller caller, TenantId tenant) {
    if (!caller.isOperator() && !caller.tenant().equals(Optional.of(tenant))) {
      throw notFound();
    }
    return load(tenant, false).orElseThrow(Authorizer::notFound);
  }

  /**
   * The tenant, locked for this transaction, if the caller may change it and it is active. The lock
   * serializes a tenant's changes, which keeps quota checks exact under concurrency.
   */
  TenantRecord writableTenant(Caller caller, TenantId tenant) {
    if (!caller.isOperator() && !caller.tenant().equals(Optional.of(tenant))) {
      throw notFound();
    }
    TenantRecord record = load(tenant, true).orElseThrow(Authorizer::notFound);
    if (record.state() != TenantState.ACTIVE) {
      throw new ConflictException("the tenant is suspended; changes are not allowed", "tenantId");
    }
    return record;
  }

  void requireOperator(Caller caller, String what) {
    if (!caller.isOperator()) {
      throw new AccessDeniedException("only operators may " + what);
    }
  }

  void requireTenantAdmin(Caller caller, TenantId tenant) {
    readableTenant(caller, tenant);
    if (caller.role() == Role.TENANT_MEMBER) {
      throw new AccessDeniedException("only the tenant's administrators may do this");
    }
  }

  Optional<TenantRecord> load(TenantId tenant, boolean forUpdate) {
    return jdbc.sql("SELECT * FROM fabric_tenant WHERE id = :id" + (forUpdate ? " FOR UPDATE" : ""))
        .param("id", tenant.value())
        .query(Authorizer::tenant)
        .optional();
  }

  static TenantRecord tenant(ResultSet rs, int row) throws SQLException {
    return new TenantRecord(
        new TenantId(rs.getObject("id", UUID.class)),
        rs.getString("name"),
        rs.getString("slug"),
        TenantState.valueOf(rs.getString("state")),
        new Quotas(
            rs.getInt("quota_vm_networks"),
            rs.getInt("quota_subnets"),
            rs.getInt("quota_vms"),
            rs.getInt("quota_vnics"),
            rs.getInt("quota_public_ips")),
        rs.getTimestamp("created_at").toInstant());
  }

  static NotFoundException notFound() {
    return new NotFoundException("no such tenant", "tenantId");
  }
}
