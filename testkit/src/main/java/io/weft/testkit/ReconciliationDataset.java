package io.weft.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Writes a large IPAM reconciliation workload straight into a migrated Weft database on PostgreSQL
 * with {@code COPY} (services would take hours for a million allocations): VM networks of one
 * tenant, each with one /24 subnet and its IP pool, VMs of ten vNICs with static addresses and
 * their allocations, a share of the addresses seen by an agent on their own vNIC, and one drift of
 * some kind per hundred allocations, rotating through the kinds reconciliation finds. Shared by the
 * reconciliation benchmark and the two-replica recovery test.
 *
 * <p>Kinds of drift, by scope number modulo 5: 0 an allocation whose vNIC is gone (its VM deleted
 * behind IPAM's back: fixed automatically), 1 an address seen on another vNIC (mismatched and
 * duplicate), 2 an address seen but allocated to nobody (unknown), 3 two vNICs configured with one
 * address (duplicate), 4 an expired lease nothing uses (reclaimed automatically).
 */
public final class ReconciliationDataset {

  /** VSIDs far above what the VSID pool hands out in tests, so they never collide. */
  private static final int FIRST_VSID = 12_000_000;

  private static final int VNICS_PER_VM = 10;

  /**
   * @param scopes VM networks
   * @param allocationsPerScope addresses allocated in each (at most 200: one /24 each)
   * @param observedPercent of the allocations, how many in a hundred an agent saw in use
   */
  public record Shape(int scopes, int allocationsPerScope, int observedPercent) {
    public Shape {
      if (scopes < 1 || allocationsPerScope < 10 || allocationsPerScope > 200) {
        throw new IllegalArgumentException("scopes >= 1, 10 <= allocationsPerScope <= 200");
      }
    }
  }

  /** What was written. */
  public record Written(
      int scopes,
      long allocations,
      long vnics,
      long observations,
      int drifts,
      int deletedVmAllocations,
      int expiredLeases) {}

  private ReconciliationDataset() {}

  /**
   * Writes the workload for {@code tenant} (an existing tenant) with agent sightings attributed to
   * {@code observingHost}; the VMs are on no host, so no host's table grows.
   */
  public static Written write(Connection c, UUID tenant, UUID observingHost, Shape shape)
      throws SQLException {
    Instant now = Instant.now();
    String at = now.toString();
    int firstNet = nextBlock(c);
    Tables t = new Tables(c.unwrap(PGConnection.class));
    long allocations = 0;
    long vnics = 0;
    long observations = 0;
    int drifts = 0;
    int deleted = 0;
    int leases = 0;
    long mac = ((long) firstNet) << 16;
    try {
      for (int i = 0; i < shape.scopes(); i++) {
        int n = firstNet + i;
        UUID network = UUID.randomUUID();
        UUID subnet = UUID.randomUUID();
        UUID pool = UUID.randomUUID();
        long base = (10L << 24) | ((long) (n / 256 % 256) << 16) | ((long) (n % 256) << 8);
        t.networks.row(network, tenant, "recon-" + n, at);
        t.pools.row(pool, "IP", "recon:" + n, 4, 24, base, base + 255, at);
        t.subnets.row(
            subnet,
            tenant,
            network,
            "s",
            ipv4(base) + "/24",
            FIRST_VSID + n,
            ipv4(base + 1),
            pool,
            "",
            at);
        int kind = n % 5;
        UUID vm = null;
        for (int k = 0; k < shape.allocationsPerScope(); k++) {
          long address = base + 10 + k;
          boolean drift = k == 0;
          if (k % VNICS_PER_VM == 0) {
            vm = UUID.randomUUID();
            t.vms.row(vm, tenant, "recon-" + n + "-" + k, null, "STOPPED", at);
          }
          UUID vnic = UUID.randomUUID();
          String owner = "vnic:" + vnic;
          allocations++;
          if (drift && kind == 0) {
            deleted++;
            t.allocations.row(pool, address, null, owner, at); // no vNIC: its VM is gone
            continue;
          }
          String macText = mac(mac++);
          boolean dhcp = drift && kind == 4;
          String configured = drift && kind == 3 ? ipv4(address + 1) : ipv4(address);
          t.allocations.row(pool, address, null, owner, at);
          t.vnics.row(
              vnic,
              tenant,
              vm,
              subnet,
              k % VNICS_PER_VM,
              macText,
              dhcp ? "DHCP" : "STATIC",
              configured,
              at);
          vnics++;
          int vsid = FIRST_VSID + n;
          if (dhcp) {
            leases++;
            t.observations.row(
                observingHost,
                vnic.toString(),
                ipv4(address),
                "LEASE",
                vsid,
                macText,
                now.minusSeconds(86_400).toString(),
                now.minusSeconds(7_200).toString(),
                now.minusSeconds(3_600).toString());
            observations++;
          } else if (drift && kind == 1) {
            // another vNIC's port sends from this vNIC's address
            t.observations.row(
                observingHost,
                "intruder-" + n,
                ipv4(address),
                "SPOOF",
                vsid,
                mac(mac++),
                at,
                at,
                null);
            observations++;
          } else if (drift && kind == 2) {
            t.observations.row(
                observingHost,
                vnic.toString(),
                ipv4(base + 250),
                "ARP",
                vsid,
                macText,
                at,
                at,
                null);
            observations++;
          } else if (k % 100 < shape.observedPercent()) {
            t.observations.row(
                observingHost,
                vnic.toString(),
                ipv4(address),
                "SOURCE",
                vsid,
                macText,
                at,
                at,
                null);
            observations++;
          }
        }
        drifts++;
        if (i % 500 == 499) {
          t.finish(); // bounded memory: a few MB of rows at a time
        }
      }
      t.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Written(shape.scopes(), allocations, vnics, observations, drifts, deleted, leases);
  }

  /** Removes what {@link #write} wrote for {@code tenant}, with the findings about it. */
  public static void delete(Connection c, UUID tenant) throws SQLException {
    String subnets = "(SELECT pool_id FROM fabric_subnet WHERE tenant_id = ?)";
    String[] statements = {
      "DELETE FROM recon_finding WHERE tenant_id = ?",
      "DELETE FROM recon_observation WHERE vsid IN (SELECT vsid FROM fabric_subnet WHERE"
          + " tenant_id = ?)",
      "DELETE FROM ipam_allocation WHERE pool_id IN " + subnets,
      "DELETE FROM fabric_vnic WHERE tenant_id = ?",
      "DELETE FROM fabric_vm WHERE tenant_id = ?",
      "DELETE FROM ipam_pool WHERE id IN " + subnets,
      "DELETE FROM fabric_subnet WHERE tenant_id = ?",
      "DELETE FROM fabric_vm_network WHERE tenant_id = ?"
    };
    for (String sql : statements) {
      try (var ps = c.prepareStatement(sql)) {
        ps.setObject(1, tenant);
        ps.executeUpdate();
      }
    }
  }

  /** A scope number no earlier call used (VSIDs and names stay unique across calls). */
  private static int nextBlock(Connection c) throws SQLException {
    try (var st = c.createStatement();
        var rs =
            st.executeQuery(
                "SELECT coalesce(max(vsid), " + (FIRST_VSID - 1) + ") FROM fabric_subnet")) {
      rs.next();
      return Math.max(0, rs.getInt(1) - FIRST_VSID + 1);
    }
  }

  private static String ipv4(long v) {
    return ((v >>> 24) & 255)
        + "."
        + ((v >>> 16) & 255)
        + "."
        + ((v >>> 8) & 255)
        + "."
        + (v & 255);
  }

  private static String mac(long v) {
    return String.format(
        "06:%02x:%02x:%02x:%02x:%02x",
        (v >>> 32) & 255, (v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
  }

  /** One COPY per table, in the order their foreign keys need. */
  private static final class Tables {
    final Copy networks;
    final Copy pools;
    final Copy subnets;
    final Copy vms;
    final Copy vnics;
    final Copy allocations;
    final Copy observations;
    private final PGConnection pg;
    private final java.util.List<Copy> order = new java.util.ArrayList<>();

    Tables(PGConnection pg) {
      this.pg = pg;
      networks = add("fabric_vm_network (id, tenant_id, name, created_at)");
      pools =
          add(
              "ipam_pool (id, kind, scope, family, prefix_length, first_value, last_value,"
                  + " created_at)");
      subnets =
          add(
              "fabric_subnet (id, tenant_id, vm_network_id, name, cidr, vsid, gateway, pool_id,"
                  + " reserved, created_at)");
      vms = add("fabric_vm (id, tenant_id, name, host_id, state, created_at)");
      vnics =
          add(
              "fabric_vnic (id, tenant_id, vm_id, subnet_id, position, mac, addressing, address,"
                  + " created_at)");
      allocations = add("ipam_allocation (pool_id, num, range_id, owner, allocated_at)");
      observations =
          add(
              "recon_observation (host_id, port_id, address, kind, vsid, mac, first_seen_at,"
                  + " last_seen_at, lease_expires_at)");
    }

    private Copy add(String table) {
      Copy copy = new Copy(table);
      order.add(copy);
      return copy;
    }

    /** Sends each table's rows in order (parents before children). */
    void finish() throws SQLException, IOException {
      for (Copy copy : order) {
        copy.send(pg);
      }
    }
  }

  /** Rows of one table, buffered as COPY text and sent at the end. */
  private static final class Copy {
    private final String table;
    private final StringBuilder text = new StringBuilder(1 << 16);
    private final java.io.ByteArrayOutputStream spill = new java.io.ByteArrayOutputStream();

    Copy(String table) {
      this.table = table;
    }

    void row(Object... values) {
      for (int i = 0; i < values.length; i++) {
        if (i > 0) {
          text.append('\t');
        }
        text.append(values[i] == null ? "\\N" : values[i].toString());
      }
      text.append('\n');
      if (text.length() > (1 << 20)) {
        flush();
      }
    }

    private void flush() {
      byte[] bytes = text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      spill.write(bytes, 0, bytes.length);
      text.setLength(0);
    }

    void send(PGConnection pg) throws SQLException, IOException {
      flush();
      CopyIn in = pg.getCopyAPI().copyIn("COPY " + table + " FROM STDIN");
      try (PGCopyOutputStream out = new PGCopyOutputStream(in)) {
        spill.writeTo(out);
      }
      spill.reset();
    }
  }
}
