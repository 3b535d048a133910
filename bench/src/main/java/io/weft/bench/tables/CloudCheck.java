package io.weft.bench.tables;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Consistency checks of a cloud, cheap enough for a million vNICs: the invariants the services keep
 * (IPAM bookkeeping, quotas, host slots) and, for a random sample of VM networks, the table
 * compiler's memory ({@code fabric_table_vnic}, {@code fabric_table_span}) against a derivation
 * from the model written independently of the fabric's code (the same rules as {@code
 * ModelReader}/{@code VnicView}: extra host and published PA while a migration is in flight).
 */
final class CloudCheck {

  private static final UUID MAC_POOL = UUID.fromString("00000000-0000-4000-8000-0000000a0003");

  private CloudCheck() {}

  /** Problems found; empty when consistent. */
  static List<String> check(DataSource dataSource, Random random, int sampleNetworks)
      throws SQLException {
    List<String> problems = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      c.setReadOnly(true);
      long vnics = BulkCloud.count(c, "SELECT count(*) FROM fabric_vnic");
      long macs =
          BulkCloud.count(
              c, "SELECT count(*) FROM ipam_allocation WHERE pool_id = '" + MAC_POOL + "'");
      if (macs != vnics) {
        problems.add("MAC allocations " + macs + " != vNICs " + vnics);
      }
      long owned =
          BulkCloud.count(c, "SELECT count(*) FROM ipam_allocation WHERE owner LIKE 'vnic:%'");
      long addressed =
          BulkCloud.count(c, "SELECT count(*) FROM fabric_vnic WHERE address IS NOT NULL");
      if (owned != macs + addressed) {
        problems.add("vNIC allocations " + owned + " != MACs + addresses " + (macs + addressed));
      }
      // No allocated MAC may lie in a free interval (else allocateNext would hand it out again).
      try (PreparedStatement free =
              c.prepareStatement(
                  "SELECT next_value, last_value FROM ipam_free_interval WHERE pool_id = ?");
          PreparedStatement inside =
              c.prepareStatement(
                  "SELECT count(*) FROM ipam_allocation WHERE pool_id = ? AND num >= ? AND num <= ?")) {
        free.setObject(1, MAC_POOL);
        try (ResultSet rs = free.executeQuery()) {
          while (rs.next()) {
            inside.setObject(1, MAC_POOL);
            inside.setBigDecimal(2, rs.getBigDecimal(1));
            inside.setBigDecimal(3, rs.getBigDecimal(2));
            try (ResultSet in = inside.executeQuery()) {
              in.next();
              if (in.getLong(1) != 0) {
                problems.add("free MAC interval " + rs.getBigDecimal(1) + ".. holds allocations");
              }
            }
          }
        }
      }
      noneMatch(
          c,
          problems,
          "tenant(s) over quota",
          "SELECT count(*) FROM fabric_tenant t WHERE"
              + " (SELECT count(*) FROM fabric_vm v WHERE v.tenant_id = t.id) > t.quota_vms"
              + " OR (SELECT count(*) FROM fabric_vnic n WHERE n.tenant_id = t.id) > t.quota_vnics"
              + " OR (SELECT count(*) FROM fabric_vm_network n WHERE n.tenant_id = t.id)"
              + " > t.quota_vm_networks");
      noneMatch(
          c,
          problems,
          "host(s) with a wrong vm_count",
          "SELECT count(*) FROM fabric_host h WHERE"
              + " (SELECT count(*) FROM fabric_vm v WHERE v.host_id = h.id) <> h.vm_count");
      noneMatch(
          c,
          problems,
          "host(s) over their VM slots",
          "SELECT count(*) FROM fabric_host h WHERE"
              + " (SELECT count(*) FROM fabric_vm v WHERE v.host_id = h.id) > h.vm_slots");
      long memory = BulkCloud.count(c, "SELECT count(*) FROM fabric_table_vnic");
      long placed =
          BulkCloud.count(
              c,
              "SELECT count(*) FROM fabric_vnic n JOIN fabric_vm v ON v.id = n.vm_id"
                  + " WHERE v.host_id IS NOT NULL");
      if (memory != placed) {
        problems.add("compiler memory holds " + memory + " vNICs, the model " + placed + " placed");
      }

      List<UUID> networks = new ArrayList<>();
      try (ResultSet rs = c.createStatement().executeQuery("SELECT id FROM fabric_vm_network")) {
        while (rs.next()) {
          networks.add(rs.getObject(1, UUID.class));
        }
      }
      Collections.shuffle(networks, random);
      for (UUID n : networks.subList(0, Math.min(sampleNetworks, networks.size()))) {
        checkNetwork(c, n, problems);
        if (problems.size() > 20) {
          break;
        }
      }
    }
    return problems;
  }

  private static void checkNetwork(Connection c, UUID network, List<String> problems)
      throws SQLException {
    Map<UUID, List<Object>> model = new HashMap<>();
    Map<UUID, Integer> span = new TreeMap<>();
    List<Object[]> allocations = new ArrayList<>();
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT n.id, n.vm_id, s.vsid, n.mac, n.addressing, n.address, v.host_id, h.pa,"
                + " m.from_host, m.phase, fh.pa, s.pool_id"
                + " FROM fabric_vnic n JOIN fabric_subnet s ON s.id = n.subnet_id"
                + " JOIN fabric_vm v ON v.id = n.vm_id JOIN fabric_host h ON h.id = v.host_id"
                + " LEFT JOIN fabric_table_moving m ON m.vm_id = n.vm_id"
                + " LEFT JOIN fabric_host fh ON fh.id = m.from_host"
                + " WHERE s.vm_network_id = ?")) {
      p.setObject(1, network);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          UUID host = rs.getObject(7, UUID.class);
          UUID from = rs.getObject(9, UUID.class);
          String published =
              "PORT_ON_DEST".equals(rs.getString(10)) ? rs.getString(11) : rs.getString(8);
          model.put(
              rs.getObject(1, UUID.class),
              List.of(
                  rs.getObject(2, UUID.class),
                  rs.getInt(3),
                  rs.getString(4),
                  rs.getString(5),
                  Objects.toString(rs.getString(6)),
                  host,
                  rs.getString(8),
                  Objects.toString(from),
                  published));
          span.merge(host, 1, Integer::sum);
          if (from != null && !from.equals(host)) {
            span.merge(from, 1, Integer::sum);
          }
          allocations.add(
              new Object[] {
                rs.getObject(1, UUID.class),
                rs.getString(4),
                rs.getObject(12, UUID.class),
                rs.getString(6)
              });
        }
      }
    }
    Map<UUID, List<Object>> memory = new HashMap<>();
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT vnic_id, vm_id, vsid, mac, addressing, address, host_id, host_pa, extra_host_id,"
                + " published_pa FROM fabric_table_vnic WHERE vm_network_id = ?")) {
      p.setObject(1, network);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          memory.put(
              rs.getObject(1, UUID.class),
              List.of(
                  rs.getObject(2, UUID.class),
                  rs.getInt(3),
                  rs.getString(4),
                  rs.getString(5),
                  Objects.toString(rs.getString(6)),
                  rs.getObject(7, UUID.class),
                  rs.getString(8),
                  Objects.toString(rs.getObject(9, UUID.class)),
                  rs.getString(10)));
        }
      }
    }
    if (!model.equals(memory)) {
      problems.add("network " + network + ": compiler memory differs from the model");
    }
    Map<UUID, Integer> spanRows = new TreeMap<>();
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT host_id, ports FROM fabric_table_span WHERE vm_network_id = ?")) {
      p.setObject(1, network);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          spanRows.put(rs.getObject(1, UUID.class), rs.getInt(2));
        }
      }
    }
    if (!span.equals(spanRows)) {
      problems.add("network " + network + ": span " + spanRows + " != model " + span);
    }
    try (PreparedStatement p =
        c.prepareStatement("SELECT owner FROM ipam_allocation WHERE pool_id = ? AND num = ?")) {
      for (Object[] a : allocations) {
        String owner = "vnic:" + a[0];
        p.setObject(1, MAC_POOL);
        p.setBigDecimal(
            2, BigDecimal.valueOf(io.weft.ipam.MacAddress.parse((String) a[1]).value()));
        if (!owner.equals(single(p))) {
          problems.add("vNIC " + a[0] + ": MAC " + a[1] + " not allocated to it");
        }
        if (a[3] != null) {
          p.setObject(1, a[2]);
          p.setBigDecimal(
              2, new BigDecimal(io.weft.ipam.IpAddressValue.parse((String) a[3]).value()));
          if (!owner.equals(single(p))) {
            problems.add("vNIC " + a[0] + ": address " + a[3] + " not allocated to it");
          }
        }
      }
    }
  }

  /** Adds "N what" to the problems when {@code countSql} counts any offending rows. */
  private static void noneMatch(Connection c, List<String> problems, String what, String countSql)
      throws SQLException {
    long offending = BulkCloud.count(c, countSql);
    if (offending != 0) {
      problems.add(offending + " " + what);
    }
  }

  private static String single(PreparedStatement p) throws SQLException {
    try (ResultSet rs = p.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
