package io.weft.bench.reconciliation;

import io.weft.diagnostics.Finding;
import io.weft.diagnostics.FindingCategory;
import io.weft.diagnostics.FindingQuery;
import io.weft.diagnostics.FindingState;
import io.weft.diagnostics.ReconciliationRun;
import io.weft.diagnostics.ReconciliationService;
import io.weft.fabric.Caller;
import io.weft.testkit.PostgresTestDatabase;
import io.weft.testkit.ReconciliationDataset;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Reconciles SCOPES VM networks of ALLOCATIONS addresses each on a throwaway PostgreSQL database: a
 * tenth of them seen by an agent, one in a hundred drift of some kind ({@link
 * ReconciliationDataset}). Each run goes through the real path, "run now" on the Quartz job
 * (clustered JDBC store), and is timed from the request to the run's record saying it finished.
 * Three runs: the first finds everything and writes the findings, the second is the steady state
 * (findings updated, nothing new), the third follows a drift made on purpose (a VM deleted behind
 * IPAM's back) and reports how long until its finding was there. Peak heap is read from the JVM's
 * memory pools; run with {@code -Xmx512m} to hold the run to the goal's heap.
 *
 * <p>Args: {@code [SCOPES] [ALLOCATIONS_PER_SCOPE] [OBSERVED_PERCENT]}, default 10000 100 10.
 */
public final class ReconciliationBench {

  private static final Caller OPERATOR = Caller.system("bench");

  private ReconciliationBench() {}

  public static void main(String[] args) throws Exception {
    int scopes = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int perScope = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int observed = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    if (!PostgresTestDatabase.available()) {
      throw new IllegalStateException(
          "PostgreSQL unavailable: " + PostgresTestDatabase.unavailableReason().orElse("?"));
    }
    System.out.printf(
        "reconciliation bench: %d VM networks x %d allocations, %d %% observed, 1 drift per"
            + " scope; PostgreSQL; %d cpus, max heap %d MiB%n",
        scopes,
        perScope,
        observed,
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);
    try (PostgresTestDatabase db = PostgresTestDatabase.create();
        ConfigurableApplicationContext ctx =
            new SpringApplicationBuilder(ReconciliationBenchApplication.class)
                .run(
                    "--spring.datasource.url=" + db.jdbcUrl(),
                    "--spring.datasource.username=" + db.user(),
                    "--spring.datasource.password=" + db.password(),
                    "--spring.flyway.locations=classpath:db/migration/ipam,"
                        + "classpath:db/migration/fabric,classpath:db/migration/diagnostics,"
                        + "classpath:db/migration/quartz/{vendor}",
                    "--spring.quartz.jdbc.initialize-schema=never",
                    "--spring.jpa.open-in-view=false",
                    "--spring.main.banner-mode=off",
                    "--spring.threads.virtual.enabled=true",
                    "--logging.level.root=warn",
                    "--logging.level.io.weft.diagnostics.reconciliation=info",
                    "--logging.level.io.weft.diagnostics.reconciliation.AutomaticFixes=warn",
                    "--weft.admin-password=bench-password-123",
                    "--weft.diagnostics.drift-schedule=0 0 0 1 1 ? 2099",
                    // nothing fires on its own: the bench starts each run
                    "--weft.reconciliation.schedule=0 0 0 1 1 ? 2099")) {
      DataSource dataSource = ctx.getBean(DataSource.class);
      ReconciliationService reconciliation = ctx.getBean(ReconciliationService.class);
      UUID tenant = UUID.randomUUID();
      long t0 = System.nanoTime();
      ReconciliationDataset.Written data;
      try (Connection c = dataSource.getConnection()) {
        tenant(c, tenant);
        data =
            ReconciliationDataset.write(
                c,
                tenant,
                UUID.randomUUID(),
                new ReconciliationDataset.Shape(scopes, perScope, observed));
        try (Statement st = c.createStatement()) {
          st.execute("VACUUM ANALYZE"); // what autovacuum would have done by the next run
        }
      }
      System.out.printf(
          "generated %d allocations, %d vNICs, %d observations, %d drifts (%d of deleted VMs,"
              + " %d expired leases) in %.1f s%n",
          data.allocations(),
          data.vnics(),
          data.observations(),
          data.drifts(),
          data.deletedVmAllocations(),
          data.expiredLeases(),
          (System.nanoTime() - t0) / 1e9);

      resetPeaks();
      report("first run (finds and records every drift)", runNow(reconciliation));
      resetPeaks();
      report("second run (steady state)", runNow(reconciliation));

      String[] drift = deleteOneVmBehindIpamsBack(dataSource, tenant);
      String address = drift[0];
      resetPeaks();
      Instant asked = Instant.now();
      ReconciliationRun third = runNow(reconciliation);
      List<Finding> found =
          reconciliation.findings(
              OPERATOR, new FindingQuery(drift[1], FindingCategory.RECLAIMABLE, null, 0, 1000));
      Finding f =
          found.stream()
              .filter(x ->
                  x.address().equals(address) && x.firstSeenAt().isAfter(asked.minusSeconds(1)))
              .findFirst()
              .orElseThrow(
                  () -> new IllegalStateException("the drift made on purpose was not found"));
      report("third run (after a VM deleted behind IPAM's back)", third);
      System.out.printf(
          "drift made on purpose (%s, %s) reported %.1f s after run-now%n",
          f.address(), f.state(), Duration.between(asked, third.finishedAt()).toMillis() / 1e3);
      long openFindings =
          reconciliation
              .findings(OPERATOR, new FindingQuery(null, null, FindingState.OPEN, 0, 1))
              .size();
      System.out.printf("open findings present: %s%n", openFindings > 0);
    }
  }

  private static ReconciliationRun runNow(ReconciliationService reconciliation)
      throws InterruptedException {
    Instant asked = Instant.now();
    long t = System.nanoTime();
    reconciliation.runNow(OPERATOR, "ipam-reconciliation");
    while (true) {
      for (ReconciliationRun run : reconciliation.runs(OPERATOR, 5)) {
        if (!run.startedAt().isBefore(asked.minusMillis(5)) && run.finishedAt() != null) {
          System.out.printf("  run-now to finished: %.1f s%n", (System.nanoTime() - t) / 1e9);
          return run;
        }
      }
      Thread.sleep(50);
    }
  }

  private static void report(String what, ReconciliationRun run) {
    System.out.printf(
        "%s: %s in %.1f s (started to finished), %d scopes, %d allocations, %d observations, %d"
            + " open findings (%d new, %d closed), %d fixed; peak heap used %d MiB%n  open by"
            + " category: %s%n",
        what,
        run.status(),
        Duration.between(run.startedAt(), run.finishedAt()).toMillis() / 1e3,
        run.scopes(),
        run.allocations(),
        run.observations(),
        run.findingsOpen(),
        run.findingsNew(),
        run.findingsClosed(),
        run.fixed(),
        peakHeapMiB(),
        run.openByCategory());
  }

  private static void tenant(Connection c, UUID id) throws Exception {
    try (var ps =
        c.prepareStatement(
            "INSERT INTO fabric_tenant (id, name, slug, state, quota_vm_networks, quota_subnets,"
                + " quota_vms, quota_vnics, quota_public_ips, created_at) VALUES (?, 'Bench',"
                + " 'bench', 'ACTIVE', 100000, 100000, 10000000, 10000000, 0, now())")) {
      ps.setObject(1, id);
      ps.executeUpdate();
    }
  }

  /**
   * Deletes one VM and its vNICs by SQL, leaving IPAM's allocations; answers one of its addresses
   * and its scope.
   */
  private static String[] deleteOneVmBehindIpamsBack(DataSource dataSource, UUID tenant)
      throws Exception {
    try (Connection c = dataSource.getConnection()) {
      UUID vm;
      String address;
      String scope;
      try (var ps =
          c.prepareStatement(
              "SELECT n.vm_id, n.address, s.vm_network_id FROM fabric_vnic n JOIN fabric_subnet s"
                  + " ON s.id = n.subnet_id WHERE n.tenant_id = ? AND n.addressing = 'STATIC'"
                  + " LIMIT 1")) {
        ps.setObject(1, tenant);
        try (var rs = ps.executeQuery()) {
          rs.next();
          vm = rs.getObject(1, UUID.class);
          address = rs.getString(2);
          scope = "vm-network:" + rs.getObject(3, UUID.class);
        }
      }
      for (String sql :
          List.of(
              "DELETE FROM fabric_vnic WHERE vm_id = ?", "DELETE FROM fabric_vm WHERE id = ?")) {
        try (var ps = c.prepareStatement(sql)) {
          ps.setObject(1, vm);
          ps.executeUpdate();
        }
      }
      return new String[] {address, scope};
    }
  }

  private static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  private static long peakHeapMiB() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum >> 20;
  }
}
