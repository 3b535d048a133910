package io.weft.bench.ipam;

import io.weft.ipam.AddressPoolService;
import io.weft.ipam.IpAddressValue;
import io.weft.ipam.IpPrefix;
import io.weft.ipam.PoolId;
import io.weft.ipam.RangeId;
import io.weft.testkit.PostgresTestDatabase;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * IPAM benchmark: a minimal Spring context with IPAM's real services on H2 (file) and on a
 * throwaway PostgreSQL database. Every allocation is committed on its own, as when a caller has no
 * transaction of its own (on PostgreSQL that is one auto-committed statement).
 *
 * <p>Usage: {@code ./weft bench ipam [h2|postgres ...] [--allocations N] [--fill-allocations]
 * [--no-jpa] [--batch-size N] [--in-flight N]}. On PostgreSQL each throughput run is followed by
 * the same clients doing the cheapest committed write instead, the ceiling any allocator has on
 * that machine; then the throughput is measured again with one statement per allocation (no shared
 * statements, as before batching), side by side. {@code --fill-allocations} also bulk-inserts the
 * ~16.7M allocation rows of the nearly full /8 (PostgreSQL only; takes minutes), so the unique
 * index has its real size.
 */
public final class IpamBench {

  /** Wires IPAM's services and nothing else. */
  @SpringBootApplication(scanBasePackages = "io.weft.ipam")
  static class BenchApplication {}

  private static final int SAMPLES = 2_000;

  /** Measure with a plain JDBC transaction manager instead of JPA's (for comparison only). */
  private static boolean noJpa;

  /** Next-free batching settings given on the command line. */
  private static final Map<String, Object> batching = new HashMap<>();

  private IpamBench() {}

  public static void main(String[] args) throws Exception {
    List<String> argv = Arrays.asList(args);
    int allocations = 4_000;
    int i = argv.indexOf("--allocations");
    if (i >= 0) {
      allocations = Integer.parseInt(argv.get(i + 1));
    }
    boolean fill = argv.contains("--fill-allocations");
    noJpa = argv.contains("--no-jpa");
    setting(argv, "--batch-size", "weft.ipam.next-free.batch-size");
    setting(argv, "--in-flight", "weft.ipam.next-free.statements-in-flight");
    boolean h2 = argv.contains("h2") || !argv.contains("postgres");
    boolean postgres = argv.contains("postgres") || !argv.contains("h2");
    System.out.printf(
        "IPAM benchmark: %d cores, %s, Java %s%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name"),
        System.getProperty("java.version"));
    if (h2) {
      Path dir = Files.createTempDirectory("weft-bench-ipam");
      run(
          "H2 2.4 (file)",
          "jdbc:h2:file:" + dir.resolve("ipam") + ";DB_CLOSE_ON_EXIT=FALSE",
          "sa",
          "",
          allocations,
          Mode.FULL);
    }
    if (postgres) {
      if (!PostgresTestDatabase.available()) {
        System.out.println("PostgreSQL skipped: " + PostgresTestDatabase.unavailableReason().get());
        return;
      }
      try (PostgresTestDatabase db = PostgresTestDatabase.create()) {
        run(
            "PostgreSQL 15",
            db.jdbcUrl(),
            db.user(),
            db.password(),
            allocations,
            fill ? Mode.FILL_ALLOCATIONS : Mode.FULL);
      }
      try (PostgresTestDatabase db = PostgresTestDatabase.create()) {
        batching.put("weft.ipam.next-free.batch-size", "1");
        batching.put("weft.ipam.next-free.statements-in-flight", "1000");
        run(
            "PostgreSQL 15, one statement per allocation (for comparison)",
            db.jdbcUrl(),
            db.user(),
            db.password(),
            allocations,
            Mode.THROUGHPUT);
      }
    }
  }

  /** What a run measures. */
  private enum Mode {
    THROUGHPUT,
    FULL,
    FILL_ALLOCATIONS
  }

  private static void setting(List<String> argv, String option, String property) {
    int i = argv.indexOf(option);
    if (i >= 0) {
      batching.put(property, argv.get(i + 1));
    }
  }

  private static void run(
      String label, String url, String user, String password, int allocations, Mode mode)
      throws Exception {
    System.out.printf("%n== %s ==%n", label);
    Map<String, Object> properties = new HashMap<>();
    properties.put("spring.datasource.url", url);
    properties.put("spring.datasource.username", user);
    properties.put("spring.datasource.password", password);
    properties.put("spring.datasource.hikari.maximum-pool-size", "10");
    properties.put("spring.flyway.locations", "classpath:db/migration/ipam");
    properties.put("spring.jpa.hibernate.ddl-auto", "none");
    properties.put("spring.jpa.open-in-view", "false");
    properties.put("spring.main.banner-mode", "off");
    properties.put("logging.level.root", "WARN");
    properties.putAll(batching);
    if (!batching.isEmpty()) {
      System.out.println("(" + batching + ")");
    }
    if (noJpa) {
      properties.put(
          "spring.autoconfigure.exclude",
          "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration,"
              + "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration");
      System.out.println("(JDBC transaction manager, no JPA)");
    }
    SpringApplication app = new SpringApplication(BenchApplication.class);
    app.setDefaultProperties(properties);
    try (ConfigurableApplicationContext context = app.run()) {
      AddressPoolService pools = context.getBean(AddressPoolService.class);
      JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);

      // Warm-up (JIT, connection pool, statement caches), not reported.
      throughput(pools, 1, allocations, pools::allocateNext);
      throughput(pools, 8, allocations, pools::allocateNext);
      boolean onPostgres = url.startsWith("jdbc:postgresql");
      jdbc.execute("CREATE TABLE bench_trivial_write (v INT)");
      for (int clients : new int[] {1, 8}) {
        double[] runs = new double[3];
        double[] ceiling = new double[3];
        for (int r = 0; r < runs.length; r++) {
          runs[r] = throughput(pools, clients, allocations, pools::allocateNext);
          // H2 does not sync its log on commit: there is no ceiling of that kind to compare with.
          ceiling[r] = onPostgres ? trivialWrites(jdbc, clients, allocations) : Double.NaN;
        }
        Arrays.sort(runs);
        Arrays.sort(ceiling);
        printRate("allocateNext throughput", clients, runs, allocations);
        if (!onPostgres) {
          continue;
        }
        System.out.printf(
            Locale.ROOT,
            "  same clients, same pool, one-row INSERT per commit instead: %,.0f/s (min %,.0f, max"
                + " %,.0f), so allocation runs at %.0f%% of this database's trivial-write rate%n",
            ceiling[1],
            ceiling[0],
            ceiling[2],
            100 * runs[1] / ceiling[1]);
      }
      if (mode == Mode.THROUGHPUT) {
        return;
      }
      TransactionTemplate transaction =
          new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
      for (int clients : new int[] {1, 8}) {
        double[] runs = new double[3];
        for (int r = 0; r < runs.length; r++) {
          runs[r] =
              throughput(
                  pools,
                  clients,
                  allocations,
                  (pool, range, owner) ->
                      transaction.executeWithoutResult(
                          status -> pools.allocateNext(pool, range, owner)));
        }
        Arrays.sort(runs);
        printRate(
            "allocateNext inside the caller's transaction (as the fabric calls it)",
            clients,
            runs,
            allocations);
      }
      nearlyFullSlash8(pools, jdbc, onPostgres, mode == Mode.FILL_ALLOCATIONS && onPostgres);
      sparseSlash64(pools);
    }
  }

  /** One allocation by a client, as the run under measurement makes it. */
  private interface Allocator {
    void allocate(PoolId pool, RangeId range, String owner);
  }

  /** Each client allocates its share from one /12 range as fast as it can. */
  private static double throughput(
      AddressPoolService pools, int clients, int total, Allocator allocator) throws Exception {
    IpPrefix prefix = IpPrefix.parse("10.16.0.0/12");
    PoolId pool = pools.createPool("bench:" + UUID.randomUUID(), prefix);
    RangeId range = pools.addRange(pool, prefix.hosts(), "static");
    return rate(clients, total, client -> allocator.allocate(pool, range, "client-" + client));
  }

  private static void printRate(String what, int clients, double[] sortedRuns, int allocations) {
    System.out.printf(
        Locale.ROOT,
        "%s, %d client%s: %,.0f allocations/s (median of 3 runs of %,d; min %,.0f, max %,.0f)%n",
        what,
        clients,
        clients == 1 ? "" : "s",
        sortedRuns[1],
        allocations,
        sortedRuns[0],
        sortedRuns[2]);
  }

  /**
   * The ceiling this machine and database put on any allocator: the cheapest committed write, one
   * row into a table without indexes, from the same client threads and connection pool, each its
   * own auto-committed statement. Interleaved with the allocation runs, so both see the same load.
   */
  private static double trivialWrites(JdbcTemplate jdbc, int clients, int total) throws Exception {
    return rate(
        clients,
        total,
        client -> jdbc.update("INSERT INTO bench_trivial_write (v) VALUES (?)", client));
  }

  /** One step of a client, given the client's number. */
  private interface ClientStep {
    void run(int client) throws Exception;
  }

  /** Steps per second when {@code clients} threads each run their share of {@code total}. */
  private static double rate(int clients, int total, ClientStep step) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(clients);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    int each = total / clients;
    for (int c = 0; c < clients; c++) {
      int client = c;
      done.add(
          threads.submit(() -> {
            start.await();
            for (int n = 0; n < each; n++) {
              step.run(client);
            }
            return null;
          }));
    }
    long began = System.nanoTime();
    start.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    long elapsed = System.nanoTime() - began;
    threads.shutdown();
    return each * clients / (elapsed / 1e9);
  }

  /**
   * A /8 with one range over all 16,777,214 host addresses, made nearly full by writing its free
   * space directly: 100,000 scattered single free addresses (as left by releases) and nothing else,
   * i.e. 99.4% allocated. Then next-free latency, one committed transaction per sample.
   */
  private static void nearlyFullSlash8(
      AddressPoolService pools, JdbcTemplate jdbc, boolean onPostgres, boolean fillAllocations) {
    IpPrefix prefix = IpPrefix.parse("10.0.0.0/8");
    PoolId pool = pools.createPool("bench:" + UUID.randomUUID(), prefix);
    RangeId range = pools.addRange(pool, prefix.hosts(), "static");
    long began = System.nanoTime();
    jdbc.update("DELETE FROM ipam_free_interval WHERE range_id = ?", range.value());
    long first = prefix.firstHost().value().longValueExact();
    long step = 167;
    int holes = 100_000;
    List<Object[]> rows = new ArrayList<>(holes);
    for (int h = 0; h < holes; h++) {
      BigDecimal v = BigDecimal.valueOf(first + 10 + h * step);
      rows.add(new Object[] {pool.value(), range.value(), v, v, v});
    }
    jdbc.batchUpdate(
        "INSERT INTO ipam_free_interval (pool_id, range_id, first_value, next_value, last_value)"
            + " VALUES (?, ?, ?, ?, ?)",
        rows);
    String filled = "free-interval structure only";
    if (fillAllocations) {
      // Every host address that is not one of the holes, as allocation rows.
      jdbc.update(
          "INSERT INTO ipam_allocation (pool_id, num, range_id, owner)"
              + " SELECT ?, g, ?, 'bulk' FROM generate_series(?::bigint, ?::bigint) g"
              + " WHERE g < ? OR (g - ?) % ? <> 0 OR g > ?",
          pool.value(),
          range.value(),
          first,
          prefix.lastHost().value().longValueExact(),
          first + 10,
          first + 10,
          step,
          first + 10 + (holes - 1) * step);
      jdbc.execute("ANALYZE ipam_allocation");
      filled = "plus all ~16.7M allocation rows";
    }
    jdbc.execute((onPostgres ? "ANALYZE " : "ANALYZE TABLE ") + "ipam_free_interval");
    System.out.printf(
        Locale.ROOT,
        "nearly full /8 prepared in %.1f s (%d free addresses of 16,777,214; %s)%n",
        (System.nanoTime() - began) / 1e9,
        holes,
        filled);
    latency("next-free on the nearly full /8", pools, pool, range);
  }

  /** An IPv6 /64 with one range over all 2^64-1 host addresses, nearly empty. */
  private static void sparseSlash64(AddressPoolService pools) {
    IpPrefix prefix = IpPrefix.parse("2001:db8:42::/64");
    PoolId pool = pools.createPool("bench:" + UUID.randomUUID(), prefix);
    RangeId range = pools.addRange(pool, prefix.hosts(), "dhcp");
    // A few explicit addresses far apart, as static assignments would leave them.
    for (int k = 1; k <= 100; k++) {
      pools.allocate(
          pool,
          IpAddressValue.of(
              prefix.family(),
              prefix
                  .first()
                  .value()
                  .add(
                      BigInteger.ONE
                          .shiftLeft(57)
                          .multiply(BigInteger.valueOf(k))
                          .divide(BigInteger.valueOf(13)))),
          "static");
    }
    latency("next-free on the sparse IPv6 /64", pools, pool, range);
  }

  private static void latency(String what, AddressPoolService pools, PoolId pool, RangeId range) {
    for (int w = 0; w < 200; w++) {
      pools.allocateNext(pool, range, "warm-up");
    }
    long[] nanos = new long[SAMPLES];
    IpAddressValue last = null;
    for (int s = 0; s < SAMPLES; s++) {
      long t0 = System.nanoTime();
      last = pools.allocateNext(pool, range, "sample");
      nanos[s] = System.nanoTime() - t0;
    }
    Arrays.sort(nanos);
    System.out.printf(
        Locale.ROOT,
        "%s: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d samples, each a committed transaction;"
            + " last %s)%n",
        what,
        nanos[SAMPLES / 2] / 1e6,
        nanos[SAMPLES * 99 / 100] / 1e6,
        nanos[SAMPLES - 1] / 1e6,
        SAMPLES,
        last);
  }
}
