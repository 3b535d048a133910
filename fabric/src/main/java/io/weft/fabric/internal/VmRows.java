package io.weft.fabric.internal;

import io.weft.fabric.Addressing;
import io.weft.fabric.HostId;
import io.weft.fabric.Placement;
import io.weft.fabric.SubnetId;
import io.weft.fabric.TenantId;
import io.weft.fabric.Vm;
import io.weft.fabric.VmId;
import io.weft.fabric.VmNetworkId;
import io.weft.fabric.VmState;
import io.weft.fabric.Vnic;
import io.weft.fabric.VnicId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads VMs with their vNICs (and, for operators, their placement) in two queries. */
@Component
class VmRows {

  private static final String SELECT_VMS =
      "SELECT v.*, h.name AS host_name, h.pa AS host_pa FROM fabric_vm v"
          + " LEFT JOIN fabric_host h ON h.id = v.host_id";
  private static final String SELECT_VNICS =
      "SELECT n.*, s.vm_network_id FROM fabric_vnic n JOIN fabric_subnet s ON s.id = n.subnet_id";

  private final JdbcClient jdbc;

  VmRows(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A VM row: what the services need to check and change it. */
  record VmRecord(VmId id, TenantId tenantId, String name, HostId hostId, VmState state) {}

  Optional<VmRecord> find(VmId id) {
    return jdbc.sql("SELECT * FROM fabric_vm WHERE id = :id")
        .param("id", id.value())
        .query((rs, n) -> {
          UUID host = rs.getObject("host_id", UUID.class);
          return new VmRecord(
              id,
              new TenantId(rs.getObject("tenant_id", UUID.class)),
              rs.getString("name"),
              host == null ? null : new HostId(host),
              VmState.valueOf(rs.getString("state")));
        })
        .optional();
  }

  List<Vm> ofTenant(TenantId tenant, boolean withPlacement) {
    return read(
        " WHERE v.tenant_id = :t", " WHERE n.tenant_id = :t", tenant.value(), withPlacement);
  }

  Optional<Vm> one(TenantId tenant, VmId id, boolean withPlacement) {
    return read(" WHERE v.id = :t", " WHERE n.vm_id = :t", id.value(), withPlacement).stream()
        .filter(vm -> vm.tenantId().equals(tenant))
        .findFirst();
  }

  List<Vm> all() {
    return read("", "", null, true);
  }

  List<Vnic> vnicsOf(VmId vm) {
    return one(find(vm).orElseThrow().tenantId(), vm, false).map(Vm::nics).orElse(List.of());
  }

  private List<Vm> read(String vmWhere, String vnicWhere, UUID key, boolean withPlacement) {
    Map<UUID, List<Vnic>> nics = new LinkedHashMap<>();
    var vnicQuery = jdbc.sql(SELECT_VNICS + vnicWhere + " ORDER BY n.vm_id, n.position");
    if (key != null) {
      vnicQuery = vnicQuery.param("t", key);
    }
    vnicQuery
        .query((rs, n) -> {
          nics.computeIfAbsent(rs.getObject("vm_id", UUID.class), k -> new ArrayList<>())
              .add(
                  new Vnic(
                      new VnicId(rs.getObject("id", UUID.class)),
                      new SubnetId(rs.getObject("subnet_id", UUID.class)),
                      new VmNetworkId(rs.getObject("vm_network_id", UUID.class)),
                      rs.getString("mac"),
                      Addressing.valueOf(rs.getString("addressing")),
                      rs.getString("address")));
          return null;
        })
        .list();
    var vmQuery = jdbc.sql(SELECT_VMS + vmWhere + " ORDER BY v.name");
    if (key != null) {
      vmQuery = vmQuery.param("t", key);
    }
    return vmQuery
        .query((rs, n) -> {
          UUID id = rs.getObject("id", UUID.class);
          UUID host = rs.getObject("host_id", UUID.class);
          Optional<Placement> placement =
              withPlacement && host != null
                  ? Optional.of(
                      new Placement(
                          new HostId(host), rs.getString("host_name"), rs.getString("host_pa")))
                  : Optional.empty();
          Instant created = rs.getTimestamp("created_at").toInstant();
          return new Vm(
              new VmId(id),
              new TenantId(rs.getObject("tenant_id", UUID.class)),
              rs.getString("name"),
              VmState.valueOf(rs.getString("state")),
              List.copyOf(nics.getOrDefault(id, List.of())),
              placement,
              created);
        })
        .list();
  }
}
