package io.weft.fabric.internal;

import io.weft.fabric.ConflictException;
import io.weft.fabric.Quotas;
import io.weft.fabric.TenantId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Counts what a tenant uses and refuses what would exceed a quota. Callers hold the tenant's row
 * lock (see {@link Authorizer#writableTenant}), so two concurrent creates cannot both squeeze in.
 */
@Component
class QuotaGuard {

  /**
   * What a tenant uses: each count an index scan on the table's tenant_id
   * (QuotaPlanOnPostgresTest).
   */
  static final String USAGE =
      "SELECT (SELECT count(*) FROM fabric_vm_network WHERE tenant_id = :t) AS n,"
          + " (SELECT count(*) FROM fabric_subnet WHERE tenant_id = :t) AS s,"
          + " (SELECT count(*) FROM fabric_vm WHERE tenant_id = :t) AS v,"
          + " (SELECT count(*) FROM fabric_vnic WHERE tenant_id = :t) AS c";

  private final JdbcClient jdbc;

  QuotaGuard(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Quotas usage(TenantId tenant) {
    return jdbc.sql(USAGE)
        .param("t", tenant.value())
        .query((rs, row) ->
            new Quotas(rs.getInt("n"), rs.getInt("s"), rs.getInt("v"), rs.getInt("c"), 0))
        .single();
  }

  void requireRoom(TenantRecord tenant, int vmNetworks, int subnets, int vms, int vnics) {
    Quotas used = usage(tenant.id());
    Quotas limit = tenant.quotas();
    check(used.vmNetworks() + vmNetworks, limit.vmNetworks(), "VM networks");
    check(used.subnets() + subnets, limit.subnets(), "subnets");
    check(used.vms() + vms, limit.vms(), "VMs");
    check(used.vnics() + vnics, limit.vnics(), "vNICs");
  }

  private static void check(int wanted, int limit, String what) {
    if (wanted > limit) {
      throw new ConflictException(
          "quota exceeded: the tenant may have at most " + limit + " " + what, "quota");
    }
  }
}
