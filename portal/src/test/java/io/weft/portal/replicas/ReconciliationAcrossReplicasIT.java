package io.weft.portal.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.testkit.ReconciliationDataset;
import io.weft.testkit.ReplicaProcess;
import io.weft.testkit.TwoReplicaLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * IPAM reconciliation on the shared two replicas (own JVMs, one PostgreSQL, Quartz's clustered JDBC
 * store; see {@link TwoReplicaLauncher#SHARED_ENVIRONMENT} for the shortened check-in and the 3 s
 * schedule): every scheduled firing runs exactly once on one replica (the reconciliation's and the
 * table drift audit's), and a replica killed with SIGKILL in the middle of a run has that run
 * recovered by the other, with no fix applied twice and none lost.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReconciliationAcrossReplicasIT {

  private static final String JOB = "/api/v1/jobs/ipam-reconciliation";
  private static final String DRIFT_AUDIT = "/api/v1/jobs/table-drift-audit";

  private TwoReplicaLauncher cloud;
  private BalancedApi operator;

  @BeforeEach
  void launch() {
    cloud = TwoReplicaLauncher.shared();
    operator =
        BalancedApi.basic(
            cloud.httpClient(), cloud.balancer(), "admin", TwoReplicaLauncher.ADMIN_PASSWORD);
  }

  @Test
  @Order(1)
  void eachScheduledFiringRunsExactlyOnceOnOneReplica() throws Exception {
    operator.post(JOB + "/resume", Map.of());
    operator.post(DRIFT_AUDIT + "/resume", Map.of());
    Map<ReplicaProcess, Long> skippedBefore = skippedFirings();
    Instant from = Instant.now();
    BalancedApi.sleep(Duration.ofSeconds(11));
    Instant until = Instant.now().minusSeconds(1);

    assertEachFiringRanOnce("ipam-reconciliation", from, until, 3);
    // The table drift audit (default schedule 0/10 s) runs on the same clustered scheduler.
    assertEachFiringRanOnce("table-drift-audit", from, until, 10);
    assertThat(skippedFirings())
        .as(
            "no replica fired a trigger the other had already taken (the guard never had to"
                + " stop a second execution)")
        .isEqualTo(skippedBefore);
  }

  private void assertEachFiringRanOnce(String job, Instant from, Instant until, int periodSeconds)
      throws SQLException {
    Map<Instant, List<String>> runsByFiring = new HashMap<>();
    try (Connection c = database();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT scheduled_fire_at, node, status FROM recon_run WHERE job_name = ? AND"
                    + " trigger_kind = 'SCHEDULED' AND scheduled_fire_at >= ? AND"
                    + " scheduled_fire_at < ?")) {
      ps.setString(1, job);
      ps.setTimestamp(2, Timestamp.from(from));
      ps.setTimestamp(3, Timestamp.from(until));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          runsByFiring
              .computeIfAbsent(rs.getTimestamp(1).toInstant(), k -> new ArrayList<>())
              .add(rs.getString(2) + " " + rs.getString(3));
        }
      }
    }
    long expectedFirings = firingsBetween(from, until, periodSeconds);
    assertThat(expectedFirings).isGreaterThanOrEqualTo(1);
    assertThat(runsByFiring)
        .as("a run of " + job + " for every firing of its " + periodSeconds + " s schedule")
        .hasSize((int) expectedFirings);
    runsByFiring.forEach((firing, runs) ->
        assertThat(runs)
            .as("runs of " + job + " for the firing at " + firing)
            .singleElement()
            .satisfies(r -> assertThat(r).endsWith("SUCCEEDED")));
  }

  @Test
  @Order(2)
  void aReplicaKilledMidRunIsRecoveredByTheOtherWithNoDoubleFixAndNothingLost() throws Exception {
    operator.post(JOB + "/pause", Map.of()); // only the runs this test starts
    UUID tenant = newTenant();
    ReconciliationDataset.Written data;
    try (Connection c = database()) {
      data =
          ReconciliationDataset.write(
              c, tenant, UUID.randomUUID(), new ReconciliationDataset.Shape(600, 200, 10));
    }
    try {
      Instant asked = Instant.now().minusMillis(5);
      operator.post(JOB + "/run", Map.of());
      String[] running = awaitRunWithAFixApplied(asked);
      String node = running[1];
      ReplicaProcess victim = replicaOf(node);
      victim.kill();
      assertThat(status(running[0])).as("killed in the middle of its run").isEqualTo("RUNNING");

      // The survivor recovers the job (after the check-in interval) and, once the dead run's guard
      // went stale, runs it to the end.
      await(
          "the run abandoned and recovered on the other replica",
          Duration.ofSeconds(60),
          () -> "ABANDONED".equals(status(running[0])) && recoveredRun(asked, node) != null);
      String[] recovered = recoveredRun(asked, node);
      assertThat(recovered[2]).isEqualTo("SUCCEEDED");
      assertThat(recovered[1]).isNotEqualTo(node);

      // Later runs (fixes are bounded per run: 100 releases, 100 leases) finish the rest.
      for (int i = 0; i < 6 && fixesLeft(tenant) > 0; i++) {
        runNowAndWait();
      }
      assertThat(fixesLeft(tenant)).as("nothing lost: every fixable drift fixed").isZero();
      assertThat(fixCounts(tenant, "reconciliation.fix.release", "%"))
          .as("each deleted VM's allocation released exactly once")
          .containsExactly(data.deletedVmAllocations(), data.deletedVmAllocations());
      assertThat(fixCounts(tenant, "vnic.dhcp-reclaim", "% reclaimed"))
          .as("each expired lease reclaimed exactly once")
          .containsExactly(data.expiredLeases(), data.expiredLeases());
      Map<String, Integer> findings = findingsOf(tenant);
      assertThat(findings)
          .containsEntry("RECLAIMABLE FIXED", data.deletedVmAllocations())
          .containsEntry("STALE_LEASE FIXED", data.expiredLeases())
          .containsEntry("MISMATCHED OPEN", data.scopes() / 5)
          .containsEntry("UNKNOWN OPEN", data.scopes() / 5);
    } finally {
      try (Connection c = database()) {
        ReconciliationDataset.delete(c, tenant);
      }
      operator.post(JOB + "/resume", Map.of());
    }
  }

  // --- helpers ---

  private Connection database() throws SQLException {
    return DriverManager.getConnection(
        cloud.database().jdbcUrl(), cloud.database().user(), cloud.database().password());
  }

  private UUID newTenant() {
    String email = "recon-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    return UUID.fromString(
        operator
            .post(
                "/api/v1/signup",
                Map.of(
                    "organization",
                    "Org " + email,
                    "adminEmail",
                    email,
                    "password",
                    "Tenant-password-123"))
            .path("id")
            .asString());
  }

  /** Quartz fires at 0/N s: how many firings fall in [from, until). */
  private static long firingsBetween(Instant from, Instant until, int periodSeconds) {
    long period = periodSeconds * 1000L;
    return Math.ceilDiv(until.toEpochMilli(), period) - Math.ceilDiv(from.toEpochMilli(), period);
  }

  /** How often each replica logged a scheduled firing given way to a run elsewhere. */
  private Map<ReplicaProcess, Long> skippedFirings() throws IOException {
    Map<ReplicaProcess, Long> out = new HashMap<>();
    for (ReplicaProcess r : cloud.replicas()) {
      try (var lines = Files.lines(r.logFile())) {
        out.put(r, lines.filter(l -> l.contains("SCHEDULED firing skipped")).count());
      }
    }
    return out;
  }

  /** Waits for the manual run to start and apply its first fix: [run id, node]. */
  private String[] awaitRunWithAFixApplied(Instant asked) throws Exception {
    String[][] found = new String[1][];
    await(
        "a manual run that has fixed something",
        Duration.ofSeconds(30),
        () -> {
          try (Connection c = database();
              PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT r.id, r.node, r.status FROM recon_run r WHERE r.job_name ="
                          + " 'ipam-reconciliation' AND r.trigger_kind = 'MANUAL' AND r.started_at >= ? AND EXISTS (SELECT 1 FROM"
                          + " fabric_audit a WHERE a.actor LIKE 'system:reconciliation%' AND"
                          + " a.at >= r.started_at)")) {
            ps.setTimestamp(1, Timestamp.from(asked));
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                found[0] = new String[] {rs.getString(1), rs.getString(2), rs.getString(3)};
                return true;
              }
              return false;
            }
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        });
    return found[0];
  }

  private ReplicaProcess replicaOf(String node) {
    String pid = node.substring(node.lastIndexOf(':') + 1);
    return cloud.replicas().stream()
        .filter(r -> r.isAlive() && Long.toString(r.pid()).equals(pid))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no replica runs as " + node));
  }

  private String status(String runId) {
    return query("SELECT status FROM recon_run WHERE id = '" + runId + "'").getFirst()[0];
  }

  /** The recovery run after {@code asked} on another node than {@code dead}: [id, node, status]. */
  private String[] recoveredRun(Instant asked, String dead) {
    List<String[]> rows =
        query(
            "SELECT id, node, status FROM recon_run WHERE job_name = 'ipam-reconciliation' AND"
                + " trigger_kind = 'RECOVERY' AND started_at"
                + " >= '"
                + Timestamp.from(asked)
                + "' AND status <> 'RUNNING' ORDER BY started_at");
    return rows.stream().filter(r -> !r[1].equals(dead)).findFirst().orElse(null);
  }

  private void runNowAndWait() {
    Instant asked = Instant.now().minusMillis(5);
    operator.post(JOB + "/run", Map.of());
    await(
        "a manual run finished",
        Duration.ofSeconds(60),
        () ->
            !query(
                    "SELECT id FROM recon_run WHERE job_name = 'ipam-reconciliation' AND"
                        + " trigger_kind = 'MANUAL' AND status ="
                        + " 'SUCCEEDED' AND started_at >= '"
                        + Timestamp.from(asked)
                        + "'")
                .isEmpty());
  }

  /** Deleted VMs' allocations and expired leases of the tenant's dataset still to be fixed. */
  private long fixesLeft(UUID tenant) {
    return Long.parseLong(
            query(
                    "SELECT count(*) FROM ipam_allocation a JOIN fabric_subnet s ON s.pool_id ="
                        + " a.pool_id WHERE s.tenant_id = '"
                        + tenant
                        + "' AND a.owner LIKE 'vnic:%' AND NOT EXISTS (SELECT 1 FROM fabric_vnic n"
                        + " WHERE n.id = CAST(substring(a.owner from 6) AS uuid))")
                .getFirst()[0])
        + Long.parseLong(
            query(
                    "SELECT count(*) FROM fabric_vnic WHERE tenant_id = '"
                        + tenant
                        + "' AND addressing = 'DHCP' AND address IS NOT NULL")
                .getFirst()[0]);
  }

  /** [audit entries, distinct targets] of successful fixes of this kind for the tenant. */
  private List<Integer> fixCounts(UUID tenant, String action, String targetLike) {
    String[] row =
        query(
                "SELECT count(*), count(DISTINCT target) FROM fabric_audit WHERE action = '"
                    + action
                    + "' AND result = 'OK' AND tenant_id = '"
                    + tenant
                    + "' AND target LIKE '"
                    + targetLike
                    + "'")
            .getFirst();
    return List.of(Integer.parseInt(row[0]), Integer.parseInt(row[1]));
  }

  private Map<String, Integer> findingsOf(UUID tenant) {
    Map<String, Integer> out = new HashMap<>();
    for (String[] r :
        query(
            "SELECT category, state, count(*) FROM recon_finding WHERE tenant_id = '"
                + tenant
                + "' GROUP BY category, state")) {
      out.put(r[0] + " " + r[1], Integer.parseInt(r[2]));
    }
    return out;
  }

  private List<String[]> query(String sql) {
    try (Connection c = database();
        var st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      List<String[]> rows = new ArrayList<>();
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        String[] row = new String[columns];
        for (int i = 0; i < columns; i++) {
          row[i] = rs.getString(i + 1);
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  private static void await(String what, Duration limit, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited " + limit + " for " + what).isLessThan(deadline);
      BalancedApi.sleep(Duration.ofMillis(20));
    }
  }
}
