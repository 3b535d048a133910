package io.weft.diagnostics.reconciliation;

import io.weft.diagnostics.reconciliation.ScopeInputs.Allocation;
import io.weft.diagnostics.reconciliation.ScopeInputs.Host;
import io.weft.ipam.IpAddressValue;
import io.weft.ipam.IpFamily;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads a logical network's PA allocations and hosts. Reads the fabric's and IPAM's tables directly
 * and read-only: reconciliation needs every side at once, and changes go through their services.
 */
@Component
class ScopeReader {

  private final JdbcClient jdbc;

  ScopeReader(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  List<UUID> logicalNetworks() {
    return jdbc.sql("SELECT id FROM fabric_logical_network ORDER BY id").query(UUID.class).list();
  }

  List<Allocation> providerAllocations(UUID logicalNetwork) {
    return jdbc.sql(
            "SELECT a.pool_id, a.num, a.owner, a.allocated_at, p.family FROM ipam_allocation a"
                + " JOIN fabric_logical_network l ON l.pool_id = a.pool_id"
                + " JOIN ipam_pool p ON p.id = a.pool_id WHERE l.id = :ln ORDER BY a.num")
        .param("ln", logicalNetwork)
        .query((rs, n) ->
            new Allocation(
                rs.getObject("pool_id", UUID.class),
                IpAddressValue.of(
                        rs.getInt("family") == 4 ? IpFamily.V4 : IpFamily.V6,
                        rs.getBigDecimal("num").toBigIntegerExact())
                    .toString(),
                rs.getString("owner"),
                rs.getTimestamp("allocated_at").toInstant()))
        .list();
  }

  List<Host> hosts(UUID logicalNetwork) {
    return jdbc.sql(
            "SELECT h.id, h.name, h.pa, r.provider_address, r.reported_at FROM fabric_host h"
                + " LEFT JOIN recon_host_report r ON r.host_id = h.id"
                + " WHERE h.logical_network_id = :ln")
        .param("ln", logicalNetwork)
        .query((rs, n) ->
            new Host(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getString("pa"),
                rs.getString("provider_address"),
                FindingStore.instant(rs.getTimestamp("reported_at"))))
        .list();
  }
}
