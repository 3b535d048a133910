package io.weft.fabric.internal;

import io.weft.fabric.Addressing;
import io.weft.fabric.HostId;
import io.weft.fabric.Page;
import io.weft.fabric.PageRequest;
import io.weft.fabric.Placement;
import io.weft.fabric.SubnetId;
import io.weft.fabric.TenantId;
import io.weft.fabric.Vm;
import io.weft.fabric.VmId;
import io.weft.fabric.VmNetworkId;
import io.weft.fabric.VmSearch;
import io.weft.fabric.VmState;
import io.weft.fabric.Vnic;
import io.weft.fabric.VnicId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads VMs with their vNICs (and, for operators, their placement) in two or three queries. */
@Component
class VmRows {

  private static final String SELECT_VMS =
      "SELECT v.*, h.name AS host_name, h.pa AS host_pa FROM fabric_vm v"
          + " LEFT JOIN fabric_host h ON h.id = v.host_id";
  private static final String SELECT_VNICS =
      "SELECT n.*, s.vm_network_id FROM fabric_vnic n JOIN fabric_subnet s ON s.id = n.subnet_id";

  /** The stable order of every VM list: names are unique per tenant only, so the id breaks ties. */
  private static final String ORDER = " ORDER BY v.name, v.id";

  /** The most ids one IN list carries. */
  static final int BATCH = 500;

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
    Map<String, Object> byTenant = Map.of("t", tenant.value());
    return assemble(
        vmRows(" WHERE v.tenant_id = :t" + ORDER, byTenant, withPlacement),
        vnics(" WHERE n.tenant_id = :t", byTenant));
  }

  Optional<Vm> one(TenantId tenant, VmId id, boolean withPlacement) {
    Map<String, Object> byId = Map.of("id", id.value());
    return assemble(
            vmRows(" WHERE v.id = :id", byId, withPlacement), vnics(" WHERE n.vm_id = :id", byId))
        .stream()
        .filter(vm -> vm.tenantId().equals(tenant))
        .findFirst();
  }

  List<Vm> all() {
    return assemble(vmRows(ORDER, Map.of(), true), vnics("", Map.of()));
  }

  /**
   * One page of VMs (of one tenant, or of all when the tenant is null; those the search matches) by
   * name then id: the vNICs are read for the page's VMs only.
   */
  Page<Vm> page(
      TenantId tenantOrNull, VmSearch search, PageRequest request, boolean withPlacement) {
    List<String> conditions = new ArrayList<>();
    Map<String, Object> params = new HashMap<>();
    if (tenantOrNull != null) {
      conditions.add("v.tenant_id = :t");
      params.put("t", tenantOrNull.value());
    }
    search
        .text()
        .ifPresent(text -> {
          conditions.add("LOWER(v.name) LIKE :name" + LikePattern.ESCAPE_CLAUSE);
          params.put("name", LikePattern.containing(text));
        });
    String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    long total =
        jdbc.sql("SELECT count(*) FROM fabric_vm v" + where)
            .params(params)
            .query(Long.class)
            .single();
    params.put("limit", request.limit());
    params.put("offset", request.offset());
    List<VmRow> rows =
        vmRows(where + ORDER + " LIMIT :limit OFFSET :offset", params, withPlacement);
    return new Page<>(assemble(rows, vnicsOf(rows)), total, request);
  }

  /**
   * The VMs with these ids (with placement), ordered by name then id; unknown ids are left out. The
   * ids are read in IN lists of at most {@link #BATCH}, and the vNICs for the found VMs only.
   */
  List<Vm> withIds(Collection<UUID> ids) {
    List<VmRow> rows = new ArrayList<>();
    for (List<UUID> batch : batches(ids)) {
      rows.addAll(vmRows(" WHERE v.id IN (:ids)", Map.of("ids", batch), true));
    }
    rows.sort(Comparator.comparing(VmRow::name).thenComparing(row -> row.id().toString()));
    return assemble(rows, vnicsOf(rows));
  }

  /** The VMs that own these vNICs, each once, as {@link #withIds} reads them. */
  List<Vm> withVnics(Collection<UUID> vnicIds) {
    Set<UUID> vms = new LinkedHashSet<>();
    for (List<UUID> batch : batches(vnicIds)) {
      vms.addAll(
          jdbc.sql("SELECT vm_id FROM fabric_vnic WHERE id IN (:ids)")
              .param("ids", batch)
              .query(UUID.class)
              .list());
    }
    return withIds(vms);
  }

  /** The distinct ids in lists of at most {@link #BATCH}, for IN lists either database accepts. */
  private static List<List<UUID>> batches(Collection<UUID> ids) {
    List<UUID> distinct = List.copyOf(new LinkedHashSet<>(ids));
    List<List<UUID>> batches = new ArrayList<>();
    for (int from = 0; from < distinct.size(); from += BATCH) {
      batches.add(distinct.subList(from, Math.min(from + BATCH, distinct.size())));
    }
    return batches;
  }

  /** The vNICs of these VMs only, by VM id. */
  private Map<UUID, List<Vnic>> vnicsOf(List<VmRow> rows) {
    Map<UUID, List<Vnic>> nics = new HashMap<>();
    for (List<UUID> batch : batches(rows.stream().map(VmRow::id).toList())) {
      nics.putAll(vnics(" WHERE n.vm_id IN (:ids)", Map.of("ids", batch)));
    }
    return nics;
  }

  List<Vnic> vnicsOf(VmId vm) {
    return one(find(vm).orElseThrow().tenantId(), vm, false).map(Vm::nics).orElse(List.of());
  }

  /** A VM row before its vNICs are attached. */
  private record VmRow(
      UUID id,
      TenantId tenantId,
      String name,
      VmState state,
      Optional<Placement> placement,
      Instant createdAt) {

    Vm withNics(Map<UUID, List<Vnic>> nics) {
      return new Vm(
          new VmId(id),
          tenantId,
          name,
          state,
          List.copyOf(nics.getOrDefault(id, List.of())),
          placement,
          createdAt);
    }
  }

  private static List<Vm> assemble(List<VmRow> rows, Map<UUID, List<Vnic>> nics) {
    return rows.stream().map(row -> row.withNics(nics)).toList();
  }

  private Map<UUID, List<Vnic>> vnics(String where, Map<String, ?> params) {
    Map<UUID, List<Vnic>> nics = new HashMap<>();
    jdbc.sql(SELECT_VNICS + where + " ORDER BY n.vm_id, n.position")
        .params(params)
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
    return nics;
  }

  private List<VmRow> vmRows(String whereAndOrder, Map<String, ?> params, boolean withPlacement) {
    return jdbc.sql(SELECT_VMS + whereAndOrder)
        .params(params)
        .query((rs, n) -> {
          UUID host = rs.getObject("host_id", UUID.class);
          Optional<Placement> placement =
              withPlacement && host != null
                  ? Optional.of(
                      new Placement(
                          new HostId(host), rs.getString("host_name"), rs.getString("host_pa")))
                  : Optional.empty();
          return new VmRow(
              rs.getObject("id", UUID.class),
              new TenantId(rs.getObject("tenant_id", UUID.class)),
              rs.getString("name"),
              VmState.valueOf(rs.getString("state")),
              placement,
              rs.getTimestamp("created_at").toInstant());
        })
        .list();
  }
}
