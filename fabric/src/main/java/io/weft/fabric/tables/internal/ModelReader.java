package io.weft.fabric.tables.internal;

import io.weft.dataplane.table.AddressRange;
import io.weft.dataplane.table.DhcpConfig;
import io.weft.dataplane.table.Encapsulation;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.IpPrefix;
import io.weft.dataplane.table.LookupRecord;
import io.weft.dataplane.table.MacAddress;
import io.weft.dataplane.table.VmSubnet;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads the fabric's model (the fabric_* tables plus the in-flight migrations) in the shapes the
 * compiler needs. Every query is bounded by the ids it is given, so the incremental path reads in
 * proportion to what changed.
 */
@Component
class ModelReader {

  /** Per-packet overhead of each encapsulation on an IPv4 underlay, inner Ethernet included. */
  static final int NVGRE_OVERHEAD = 20 + 8 + 14;

  static final int VXLAN_OVERHEAD = 20 + 8 + 8 + 14;

  private static final int CHUNK = 500;

  private static final String VIEW_SQL =
      "SELECT n.id, n.vm_id, s.vm_network_id, s.vsid, n.mac, n.addressing, n.address, v.host_id,"
          + " h.pa AS host_pa, m.from_host, m.phase, fh.pa AS from_pa"
          + " FROM fabric_vnic n"
          + " JOIN fabric_subnet s ON s.id = n.subnet_id"
          + " JOIN fabric_vm v ON v.id = n.vm_id"
          + " JOIN fabric_host h ON h.id = v.host_id"
          + " LEFT JOIN fabric_table_moving m ON m.vm_id = n.vm_id"
          + " LEFT JOIN fabric_host fh ON fh.id = m.from_host";

  private final JdbcClient jdbc;

  ModelReader(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Host-wide settings: its PA and its logical network's encapsulation and overlay MTU. */
  record Settings(Encapsulation encapsulation, IpAddress pa, int overlayMtu) {}

  Optional<Settings> settings(UUID host) {
    return jdbc.sql(
            "SELECT h.pa, l.encapsulation, l.mtu FROM fabric_host h"
                + " JOIN fabric_logical_network l ON l.id = h.logical_network_id WHERE h.id = :id")
        .param("id", host)
        .query((rs, n) -> {
          Encapsulation e = Encapsulation.valueOf(rs.getString("encapsulation"));
          int overhead = e == Encapsulation.VXLAN ? VXLAN_OVERHEAD : NVGRE_OVERHEAD;
          int mtu = Math.clamp(rs.getInt("mtu") - overhead, 576, 9000);
          return new Settings(e, IpAddress.parse(rs.getString("pa")), mtu);
        })
        .optional();
  }

  List<VnicView> viewsOfVnics(Collection<UUID> vnics) {
    return views("n.id", vnics);
  }

  List<VnicView> viewsOfNetworks(Collection<UUID> networks) {
    return views("s.vm_network_id", networks);
  }

  /** Ids of the vNICs of these VMs that still exist. */
  List<UUID> vnicsOfVms(Collection<UUID> vms) {
    List<UUID> out = new ArrayList<>();
    for (List<UUID> chunk : chunks(vms)) {
      out.addAll(
          jdbc.sql("SELECT id FROM fabric_vnic WHERE vm_id IN (:ids)")
              .param("ids", chunk)
              .query(UUID.class)
              .list());
    }
    return out;
  }

  /** VM networks with a port on the host: VMs running there and VMs migrating away from it. */
  List<UUID> networksOnHost(UUID host) {
    return jdbc.sql(
            "SELECT s.vm_network_id FROM fabric_vnic n JOIN fabric_subnet s ON s.id = n.subnet_id"
                + " JOIN fabric_vm v ON v.id = n.vm_id WHERE v.host_id = :h"
                + " UNION SELECT s.vm_network_id FROM fabric_table_moving m"
                + " JOIN fabric_vnic n ON n.vm_id = m.vm_id"
                + " JOIN fabric_subnet s ON s.id = n.subnet_id WHERE m.from_host = :h")
        .param("h", host)
        .query(UUID.class)
        .list();
  }

  /** Lookup records of the machines behind external hosts, per VM network. */
  Map<UUID, List<LookupRecord>> externalRecordsOfNetworks(Collection<UUID> networks) {
    Map<UUID, List<LookupRecord>> out = new HashMap<>();
    for (List<UUID> chunk : chunks(networks)) {
      jdbc.sql(
              "SELECT s.vm_network_id, s.vsid, m.address, m.mac, e.pa"
                  + " FROM fabric_external_machine m"
                  + " JOIN fabric_subnet s ON s.id = m.subnet_id"
                  + " JOIN fabric_external_host e ON e.id = m.external_host_id"
                  + " WHERE s.vm_network_id IN (:ids)")
          .param("ids", chunk)
          .query((ResultSet rs) -> {
            out.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                .add(
                    new LookupRecord(
                        rs.getInt(2),
                        IpAddress.parse(rs.getString(3)),
                        MacAddress.parse(rs.getString(4)),
                        IpAddress.parse(rs.getString(5))));
          });
    }
    return out;
  }

  /** The network of a subnet, if it still exists. */
  Optional<UUID> networkOfSubnet(UUID subnet) {
    return jdbc.sql("SELECT vm_network_id FROM fabric_subnet WHERE id = :id")
        .param("id", subnet)
        .query(UUID.class)
        .optional();
  }

  /** Subnets by id, as hosts see them (DHCP settings included); absent ids were deleted. */
  Map<UUID, VmSubnet> subnets(Collection<UUID> subnetIds) {
    return subnetsWhere("s.id", subnetIds).byId;
  }

  /** The subnets of each network, as hosts see them. */
  Map<UUID, List<VmSubnet>> subnetsOfNetworks(Collection<UUID> networks) {
    return subnetsWhere("s.vm_network_id", networks).byNetwork;
  }

  private record SubnetRows(Map<UUID, VmSubnet> byId, Map<UUID, List<VmSubnet>> byNetwork) {}

  private SubnetRows subnetsWhere(String column, Collection<UUID> ids) {
    Map<UUID, VmSubnet> byId = new LinkedHashMap<>();
    Map<UUID, List<VmSubnet>> byNetwork = new HashMap<>();
    for (List<UUID> chunk : chunks(ids)) {
      Map<UUID, List<String[]>> ranges = new HashMap<>();
      jdbc.sql(
              "SELECT r.subnet_id, r.start_address, r.end_address, r.lease_seconds, r.dns_servers"
                  + " FROM fabric_dhcp_range r JOIN fabric_subnet s ON s.id = r.subnet_id WHERE "
                  + column
                  + " IN (:ids) ORDER BY r.start_address")
          .param("ids", chunk)
          .query((ResultSet rs) -> {
            ranges
                .computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                .add(
                    new String[] {
                      rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)
                    });
          });
      jdbc.sql(
              "SELECT s.id, s.vm_network_id, s.vsid, s.cidr, s.gateway FROM fabric_subnet s WHERE "
                  + column
                  + " IN (:ids)")
          .param("ids", chunk)
          .query((ResultSet rs) -> {
            UUID id = rs.getObject(1, UUID.class);
            VmSubnet s = subnet(rs, ranges.getOrDefault(id, List.of()));
            byId.put(id, s);
            byNetwork.computeIfAbsent(rs.getObject(2, UUID.class), k -> new ArrayList<>()).add(s);
          });
    }
    return new SubnetRows(byId, byNetwork);
  }

  private static VmSubnet subnet(ResultSet rs, List<String[]> ranges) throws SQLException {
    IpPrefix prefix = IpPrefix.parse(rs.getString("cidr"));
    DhcpConfig dhcp = null;
    if (!prefix.network().v6()) {
      // Every IPv4 subnet gets a DHCP section, possibly with no ranges: the host's responder then
      // answers only with addresses the fabric assigned, and a DHCP vNIC is never left invalid.
      List<AddressRange> list = new ArrayList<>();
      int lease = Integer.MAX_VALUE;
      List<IpAddress> dns = new ArrayList<>();
      for (String[] r : ranges) {
        list.add(new AddressRange(IpAddress.parse(r[0]), IpAddress.parse(r[1])));
        lease = Math.min(lease, Integer.parseInt(r[2]));
        for (String d : r[3] == null ? new String[0] : r[3].split(",")) {
          IpAddress a = d.isBlank() ? null : IpAddress.parse(d.strip());
          if (a != null && !dns.contains(a)) {
            dns.add(a);
          }
        }
      }
      dhcp = new DhcpConfig(list, lease == Integer.MAX_VALUE ? 3600 : Math.max(60, lease), dns);
    }
    return new VmSubnet(
        rs.getInt("vsid"),
        prefix,
        IpAddress.parse(rs.getString("gateway")),
        MacAddress.DISTRIBUTED_ROUTER,
        dhcp);
  }

  private List<VnicView> views(String column, Collection<UUID> ids) {
    List<VnicView> out = new ArrayList<>();
    for (List<UUID> chunk : chunks(ids)) {
      out.addAll(
          jdbc.sql(VIEW_SQL + " WHERE " + column + " IN (:ids)")
              .param("ids", chunk)
              .query(ModelReader::view)
              .list());
    }
    return out;
  }

  private static VnicView view(ResultSet rs, int row) throws SQLException {
    UUID host = rs.getObject("host_id", UUID.class);
    String hostPa = rs.getString("host_pa");
    UUID from = rs.getObject("from_host", UUID.class);
    String published = hostPa;
    if (from != null && MigrationPhase.PORT_ON_DEST.name().equals(rs.getString("phase"))) {
      published = rs.getString("from_pa");
    }
    return new VnicView(
        rs.getObject(1, UUID.class),
        rs.getObject("vm_id", UUID.class),
        rs.getObject("vm_network_id", UUID.class),
        rs.getInt("vsid"),
        rs.getString("mac"),
        rs.getString("addressing"),
        rs.getString("address"),
        host,
        hostPa,
        from,
        published);
  }

  static <T> List<List<T>> chunks(Collection<T> all) {
    List<T> list = new ArrayList<>(all);
    List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i += CHUNK) {
      out.add(list.subList(i, Math.min(list.size(), i + CHUNK)));
    }
    return out;
  }
}
