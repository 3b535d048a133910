package io.weft.bench.scale;

import io.weft.bench.tables.BulkCloud;
import io.weft.bench.tables.TablesBenchApplication;
import io.weft.fabric.HostId;
import io.weft.testkit.PostgresTestDatabase;
import io.weft.testkit.TwoReplicaLauncher;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The scale run's cloud: generated into a database ({@link BulkCloud}, then {@code ANALYZE}), with
 * what only the generator knows (each agent's host and token, the generation times) stored beside
 * it in {@code bench_scale_agent} and {@code bench_scale_cloud}, so that a generated cloud can be
 * kept ({@code ./weft bench scale-cloud HOSTS VNICS}, database {@link #keptName}) and a later run
 * ({@code ./weft bench scale}) works on a fresh copy of it instead of generating it again: at
 * 1,000,000 vNICs generation alone takes most of the 15 minutes the issue allows.
 */
public final class KeptCloud {

  static final int VNICS_PER_NETWORK = 10;

  private KeptCloud() {}

  /** The name a kept cloud of {@code hosts} hosts and {@code vnics} vNICs has. */
  static String keptName(int hosts, long vnics) {
    return "weft_scale_" + hosts + "_" + vnics;
  }

  /** {@code ./weft bench scale-cloud HOSTS VNICS}: generates a cloud and keeps it. */
  public static void main(String[] args) throws Exception {
    int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int vnics = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    long t0 = System.nanoTime();
    PostgresTestDatabase database = PostgresTestDatabase.create();
    try {
      generate(database, hosts, vnics);
      String kept = keptName(hosts, vnics);
      database.keepAs(kept);
      System.out.printf(
          "kept as database %s in %.0f s (./weft bench scale %d %d CHANGES runs on a copy of it;"
              + " DROP DATABASE %s when done)%n",
          kept, (System.nanoTime() - t0) / 1e9, hosts, vnics, kept);
    } finally {
      database.close(); // drops it unless kept
    }
  }

  /**
   * A cloud of {@code hosts} hosts and {@code vnics} vNICs, 10 per VM network, generated into
   * {@code database} (with planner statistics) and recorded there.
   */
  static BulkCloud.Cloud generate(PostgresTestDatabase database, int hosts, int vnics)
      throws Exception {
    BulkCloud.Cloud cloud;
    try (ConfigurableApplicationContext ctx =
        new SpringApplicationBuilder(TablesBenchApplication.class)
            .run(
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.user(),
                "--spring.datasource.password=" + database.password(),
                "--spring.flyway.locations=classpath:db/migration/ipam,classpath:db/migration/fabric",
                "--spring.main.banner-mode=off",
                "--logging.level.root=warn",
                "--weft.admin-password=" + TwoReplicaLauncher.ADMIN_PASSWORD,
                "--spring.datasource.hikari.maximum-pool-size=8")) {
      cloud = BulkCloud.generate(ctx, hosts, vnics / VNICS_PER_NETWORK, VNICS_PER_NETWORK, 42);
    }
    System.out.printf(
        "generated %,d vNICs on %,d hosts: services %.1f s, bulk %.1f s%n",
        cloud.vnics(), hosts, cloud.servicesSeconds(), cloud.bulkSeconds());
    try (Connection c = connect(database)) {
      record(c, cloud);
      analyze(c);
    }
    return cloud;
  }

  /** The cloud recorded in {@code database} (a copy of a kept one). */
  static BulkCloud.Cloud load(PostgresTestDatabase database) throws SQLException {
    try (Connection c = connect(database);
        Statement s = c.createStatement()) {
      List<HostId> hosts = new ArrayList<>();
      List<String> tokens = new ArrayList<>();
      try (ResultSet rs =
          s.executeQuery("SELECT host_id, token FROM bench_scale_agent ORDER BY agent")) {
        while (rs.next()) {
          hosts.add(new HostId(rs.getObject(1, UUID.class)));
          tokens.add(rs.getString(2));
        }
      }
      List<UUID> vms = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT id FROM fabric_vm ORDER BY id")) {
        while (rs.next()) {
          vms.add(rs.getObject(1, UUID.class));
        }
      }
      try (ResultSet rs =
          s.executeQuery("SELECT vnics, services_seconds, bulk_seconds FROM bench_scale_cloud")) {
        rs.next();
        return new BulkCloud.Cloud(
            hosts,
            tokens,
            BulkCloud.subnets(c),
            Map.of(),
            vms,
            rs.getLong(1),
            rs.getDouble(2),
            rs.getDouble(3));
      }
    }
  }

  private static void record(Connection c, BulkCloud.Cloud cloud) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE bench_scale_agent (agent int PRIMARY KEY, host_id uuid NOT NULL,"
              + " token text NOT NULL)");
      s.execute(
          "CREATE TABLE bench_scale_cloud (vnics bigint NOT NULL, services_seconds float8 NOT"
              + " NULL, bulk_seconds float8 NOT NULL)");
    }
    try (PreparedStatement p =
        c.prepareStatement("INSERT INTO bench_scale_agent VALUES (?, ?, ?)")) {
      for (int i = 0; i < cloud.hosts().size(); i++) {
        p.setInt(1, i);
        p.setObject(2, cloud.hosts().get(i).value());
        p.setString(3, cloud.agentTokens().get(i));
        p.addBatch();
      }
      p.executeBatch();
    }
    try (PreparedStatement p =
        c.prepareStatement("INSERT INTO bench_scale_cloud VALUES (?, ?, ?)")) {
      p.setLong(1, cloud.vnics());
      p.setDouble(2, cloud.servicesSeconds());
      p.setDouble(3, cloud.bulkSeconds());
      p.executeUpdate();
    }
  }

  /**
   * Statistics for the planner after the bulk load, as autovacuum gathers them within a minute in
   * production (it is off on this machine's PostgreSQL). Without them the snapshot queries
   * hash-join whole 100,000-row tables: the first run's storm took 75.5 s at 1,000 agents; with
   * them the same queries use the indexes (docs/benchmarks.md).
   */
  private static void analyze(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("ANALYZE");
    }
  }

  private static Connection connect(PostgresTestDatabase database) throws SQLException {
    return DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
  }
}
