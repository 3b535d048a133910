package io.weft.bench.tables;

import io.weft.fabric.Caller;
import io.weft.fabric.HostId;
import io.weft.fabric.HostService;
import io.weft.fabric.HostState;
import io.weft.fabric.NetworkService;
import io.weft.fabric.NewHost;
import io.weft.fabric.NewLogicalNetwork;
import io.weft.fabric.NewSubnet;
import io.weft.fabric.Quotas;
import io.weft.fabric.RegisteredHost;
import io.weft.fabric.SignupRequest;
import io.weft.fabric.TenantId;
import io.weft.fabric.TenantService;
import io.weft.fabric.VmNetwork;
import io.weft.fabric.identity.AccountId;
import io.weft.fabric.identity.Role;
import io.weft.ipam.IpAddressValue;
import io.weft.ipam.MacAddress;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.context.ApplicationContext;

/**
 * Generates a large cloud fast. Hosts, tenants, VM networks and subnets go through the fabric's
 * services (they are few: VSIDs, subnet pools and gateways are allocated as in production); the VMs
 * and vNICs, the bulk, go in with JDBC batches straight into the fabric's and IPAM's tables,
 * keeping every invariant the services keep:
 *
 * <ul>
 *   <li>one {@code fabric_vm} (RUNNING, placed) and one {@code fabric_vnic} (STATIC) per VM, names
 *       unique per tenant, quotas raised so usage stays within them, no host over its VM slots;
 *   <li>MACs taken lowest-first from the cloud's MAC pool exactly as {@code allocateNext} does: an
 *       {@code ipam_allocation} row each, and the free intervals shrunk/deleted to match;
 *   <li>customer addresses recorded in the subnet's IP pool ({@code ipam_allocation}, no range,
 *       owner {@code vnic:ID}), as {@code AddressPoolService.allocate} does for a given address;
 *   <li>the table compiler's memory ({@code fabric_table_vnic}, {@code fabric_table_span}) written
 *       as the compiler would have, and every host's generation bumped without a log entry, so an
 *       agent at any older generation gets a full snapshot — the one full build.
 * </ul>
 *
 * {@link #verify} checks the result; the harness then runs service-level changes on it and compares
 * every agent's incrementally maintained table with the full recompute.
 */
public final class BulkCloud {

  static final Caller OP =
      new Caller(new AccountId(UUID.randomUUID()), "bench", Role.OPERATOR, Optional.empty());

  private static final int NETWORKS_PER_TENANT = 100;
  private static final int BATCH = 5_000;

  /** A subnet as the generator and the harness need it. */
  public record SubnetRow(UUID id, UUID tenant, UUID network, int vsid, UUID pool) {}

  /** What was generated. */
  public record Cloud(
      List<HostId> hosts,
      List<String> agentTokens,
      List<SubnetRow> subnets,
      Map<UUID, Caller> admins,
      List<UUID> vms,
      long vnics,
      double servicesSeconds,
      double bulkSeconds) {

    Caller admin(UUID tenant) {
      return admins.get(tenant);
    }
  }

  private BulkCloud() {}

  /** Address of the {@code i}-th VM in a /16 subnet (10.0.0.2 upwards; .1 is the gateway). */
  static String address(int i) {
    return "10.0." + (i / 250) + "." + (2 + i % 250);
  }

  public static Cloud generate(
      ApplicationContext ctx, int hostCount, int networkCount, int vmsPerNetwork, long seed)
      throws SQLException {
    HostService hostService = ctx.getBean(HostService.class);
    NetworkService nets = ctx.getBean(NetworkService.class);
    TenantService tenants = ctx.getBean(TenantService.class);
    DataSource dataSource = ctx.getBean(DataSource.class);
    Random random = new Random(seed);

    long t0 = System.nanoTime();
    long totalVms = (long) networkCount * vmsPerNetwork;
    int slots = (int) Math.min(Integer.MAX_VALUE / 2, totalVms / hostCount * 2 + 1000);
    String ln =
        hostService
            .createLogicalNetwork(
                OP, new NewLogicalNetwork("bench", "10.128.0.0/12", "VXLAN", 1550))
            .id()
            .toString();
    List<HostId> hosts = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < hostCount; i++) {
      RegisteredHost registered =
          hostService.registerHost(OP, new NewHost("h" + i, ln, null, slots));
      HostId h = registered.host().id();
      hostService.setHostState(OP, h, HostState.READY);
      hosts.add(h);
      tokens.add(registered.agentToken());
    }
    int tenantCount = Math.max(1, (networkCount + NETWORKS_PER_TENANT - 1) / NETWORKS_PER_TENANT);
    Map<UUID, Caller> admins = new LinkedHashMap<>();
    List<TenantId> tenantIds = new ArrayList<>();
    int perTenantVms = (int) Math.min(100_000_000, (long) NETWORKS_PER_TENANT * vmsPerNetwork * 2);
    for (int t = 0; t < tenantCount; t++) {
      TenantId tenant =
          tenants
              .signup(
                  new SignupRequest("Bench " + t, "bench" + t + "@example.com", "Password-123456"))
              .id();
      tenants.updateQuotas(
          OP,
          tenant,
          new Quotas(
              NETWORKS_PER_TENANT * 2,
              NETWORKS_PER_TENANT * 4,
              perTenantVms + 100_000,
              perTenantVms + 100_000,
              5));
      admins.put(
          tenant.value(),
          new Caller(
              new AccountId(UUID.randomUUID()), "b" + t, Role.TENANT_ADMIN, Optional.of(tenant)));
      tenantIds.add(tenant);
    }
    for (int n = 0; n < networkCount; n++) {
      TenantId tenant = tenantIds.get(n / NETWORKS_PER_TENANT);
      Caller admin = admins.get(tenant.value());
      VmNetwork net = nets.createVmNetwork(admin, tenant, "n" + n);
      nets.createSubnet(
          admin, tenant, net.id(), new NewSubnet("s", "10.0.0.0/16", null, List.of()));
      if (n > 0 && n % 2000 == 0) {
        System.out.printf(
            "  %d VM networks through the services (%.0f s)%n", n, (System.nanoTime() - t0) / 1e9);
      }
    }
    double servicesSeconds = (System.nanoTime() - t0) / 1e9;

    long t1 = System.nanoTime();
    List<UUID> vms = new ArrayList<>();
    List<SubnetRow> subnets;
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      subnets = subnets(c);
      if (count(c, "SELECT count(*) FROM fabric_vm") != 0) {
        throw new IllegalStateException("the bulk generator needs a cloud without VMs");
      }
      Map<UUID, String> pa = new HashMap<>();
      try (ResultSet rs = c.createStatement().executeQuery("SELECT id, pa FROM fabric_host")) {
        while (rs.next()) {
          pa.put(rs.getObject(1, UUID.class), rs.getString(2));
        }
      }
      MacCursor macs = new MacCursor(c);
      Map<Long, Integer> span = new HashMap<>(); // (network index, host index) → ports
      Timestamp at = Timestamp.from(Instant.now());
      try (PreparedStatement vm =
              c.prepareStatement(
                  "INSERT INTO fabric_vm (id, tenant_id, name, host_id, state, created_at)"
                      + " VALUES (?, ?, ?, ?, 'RUNNING', ?)");
          PreparedStatement nic =
              c.prepareStatement(
                  "INSERT INTO fabric_vnic (id, tenant_id, vm_id, subnet_id, position, mac,"
                      + " addressing, address, created_at) VALUES (?, ?, ?, ?, 0, ?, 'STATIC', ?,"
                      + " ?)");
          PreparedStatement alloc =
              c.prepareStatement(
                  "INSERT INTO ipam_allocation (pool_id, num, range_id, owner) VALUES (?, ?, ?, ?)");
          PreparedStatement memory =
              c.prepareStatement(
                  "INSERT INTO fabric_table_vnic (vnic_id, vm_id, vm_network_id, vsid, mac,"
                      + " addressing, address, host_id, host_pa, extra_host_id, published_pa)"
                      + " VALUES (?, ?, ?, ?, ?, 'STATIC', ?, ?, ?, NULL, ?)")) {
        int pending = 0;
        for (int n = 0; n < subnets.size(); n++) {
          SubnetRow s = subnets.get(n);
          for (int v = 0; v < vmsPerNetwork; v++) {
            UUID vmId = UUID.randomUUID();
            UUID nicId = UUID.randomUUID();
            int hostIndex = random.nextInt(hosts.size());
            UUID host = hosts.get(hostIndex).value();
            String address = address(v);
            long macValue = macs.next();
            String mac = new MacAddress(macValue).toString();
            String owner = "vnic:" + nicId;

            vm.setObject(1, vmId);
            vm.setObject(2, s.tenant());
            vm.setString(3, "n" + n + "v" + v);
            vm.setObject(4, host);
            vm.setTimestamp(5, at);
            vm.addBatch();

            nic.setObject(1, nicId);
            nic.setObject(2, s.tenant());
            nic.setObject(3, vmId);
            nic.setObject(4, s.id());
            nic.setString(5, mac);
            nic.setString(6, address);
            nic.setTimestamp(7, at);
            nic.addBatch();

            alloc.setObject(1, MacCursor.POOL);
            alloc.setBigDecimal(2, BigDecimal.valueOf(macValue));
            alloc.setObject(3, macs.range);
            alloc.setString(4, owner);
            alloc.addBatch();
            alloc.setObject(1, s.pool());
            alloc.setBigDecimal(2, new BigDecimal(IpAddressValue.parse(address).value()));
            alloc.setObject(3, null);
            alloc.setString(4, owner);
            alloc.addBatch();

            String hostPa = pa.get(host);
            memory.setObject(1, nicId);
            memory.setObject(2, vmId);
            memory.setObject(3, s.network());
            memory.setInt(4, s.vsid());
            memory.setString(5, mac);
            memory.setString(6, address);
            memory.setObject(7, host);
            memory.setString(8, hostPa);
            memory.setString(9, hostPa);
            memory.addBatch();

            span.merge(((long) n << 32) | hostIndex, 1, Integer::sum);
            vms.add(vmId);
            if (++pending == BATCH) {
              flush(c, vm, nic, alloc, memory);
              pending = 0;
            }
          }
          if (n > 0 && n % 2000 == 0) {
            System.out.printf(
                "  %d VM networks' VMs in bulk (%.0f s)%n", n, (System.nanoTime() - t1) / 1e9);
          }
        }
        flush(c, vm, nic, alloc, memory);
      }
      macs.finish();
      try (PreparedStatement sp =
          c.prepareStatement(
              "INSERT INTO fabric_table_span (vm_network_id, host_id, ports) VALUES (?, ?, ?)")) {
        int pending = 0;
        for (Map.Entry<Long, Integer> e : span.entrySet()) {
          sp.setObject(1, subnets.get((int) (e.getKey() >>> 32)).network());
          sp.setObject(2, hosts.get((int) (e.getKey() & 0xffffffffL)).value());
          sp.setInt(3, e.getValue());
          sp.addBatch();
          if (++pending == BATCH) {
            sp.executeBatch();
            pending = 0;
          }
        }
        sp.executeBatch();
      }
      // Each host's VM count, as the placement code keeps it.
      c.createStatement()
          .executeUpdate(
              "UPDATE fabric_host SET vm_count ="
                  + " (SELECT count(*) FROM fabric_vm v WHERE v.host_id = fabric_host.id)");
      // Every host's table changed outside the change log: a new generation with no log entry
      // makes any agent at an older one fetch a full snapshot.
      c.createStatement().executeUpdate("UPDATE fabric_table_host SET generation = generation + 1");
      c.commit();
    }
    return new Cloud(
        hosts,
        tokens,
        subnets,
        admins,
        vms,
        vms.size(),
        servicesSeconds,
        (System.nanoTime() - t1) / 1e9);
  }

  private static void flush(Connection c, PreparedStatement... statements) throws SQLException {
    for (PreparedStatement s : statements) {
      s.executeBatch();
    }
    c.commit();
  }

  /** Every subnet of the generated cloud, network i (named n{@code i}) at index i. */
  public static List<SubnetRow> subnets(Connection c) throws SQLException {
    // Networks were named n0, n1, ...: keep that order so network i is subnets.get(i).
    List<SubnetRow> out = new ArrayList<>();
    try (ResultSet rs =
        c.createStatement()
            .executeQuery(
                "SELECT s.id, s.tenant_id, s.vm_network_id, s.vsid, s.pool_id FROM fabric_subnet s"
                    + " JOIN fabric_vm_network n ON n.id = s.vm_network_id"
                    + " ORDER BY CAST(SUBSTRING(n.name, 2) AS INT)")) {
      while (rs.next()) {
        out.add(
            new SubnetRow(
                rs.getObject(1, UUID.class),
                rs.getObject(2, UUID.class),
                rs.getObject(3, UUID.class),
                rs.getInt(4),
                rs.getObject(5, UUID.class)));
      }
    }
    return out;
  }

  static long count(Connection c, String sql) throws SQLException {
    try (ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * The cloud's MAC pool as {@code allocateNext} consumes it: lowest free interval first, its first
   * value taken. Tracks the intervals in memory and writes their new bounds at the end.
   */
  private static final class MacCursor {

    static final UUID POOL = UUID.fromString("00000000-0000-4000-8000-0000000a0003");

    private final Connection c;
    private final UUID range;
    private final List<long[]> intervals = new ArrayList<>(); // id, first, last
    private int index;
    private long next;

    MacCursor(Connection c) throws SQLException {
      this.c = c;
      try (PreparedStatement p =
          c.prepareStatement(
              "SELECT r.id FROM ipam_range r WHERE r.pool_id = ? ORDER BY r.first_value")) {
        p.setObject(1, POOL);
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
          range = rs.getObject(1, UUID.class);
        }
      }
      try (PreparedStatement p =
          c.prepareStatement(
              "SELECT id, next_value, last_value FROM ipam_free_interval WHERE range_id = ?"
                  + " ORDER BY range_id, first_value")) {
        p.setObject(1, range);
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            intervals.add(
                new long[] {
                  rs.getLong(1),
                  rs.getBigDecimal(2).longValueExact(),
                  rs.getBigDecimal(3).longValueExact()
                });
          }
        }
      }
      next = intervals.isEmpty() ? -1 : intervals.getFirst()[1];
    }

    long next() {
      while (index < intervals.size() && next > intervals.get(index)[2]) {
        index++;
        if (index < intervals.size()) {
          next = intervals.get(index)[1];
        }
      }
      if (index >= intervals.size()) {
        throw new IllegalStateException("MAC pool exhausted");
      }
      return next++;
    }

    /** Deletes the intervals used up and shrinks the one in use. */
    void finish() throws SQLException {
      try (PreparedStatement del =
              c.prepareStatement("DELETE FROM ipam_free_interval WHERE id = ?");
          PreparedStatement shrink =
              c.prepareStatement("UPDATE ipam_free_interval SET next_value = ? WHERE id = ?")) {
        for (int i = 0; i < Math.min(index, intervals.size()); i++) {
          del.setLong(1, intervals.get(i)[0]);
          del.addBatch();
        }
        del.executeBatch();
        if (index < intervals.size()) {
          long[] current = intervals.get(index);
          if (next > current[2]) {
            del.setLong(1, current[0]);
            del.executeUpdate();
          } else if (next > current[1]) {
            shrink.setBigDecimal(1, BigDecimal.valueOf(next));
            shrink.setLong(2, current[0]);
            shrink.executeUpdate();
          }
        }
      }
    }
  }
}
