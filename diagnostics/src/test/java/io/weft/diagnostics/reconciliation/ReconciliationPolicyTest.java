package io.weft.diagnostics.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.weft.diagnostics.HostObservations;
import io.weft.diagnostics.ObservedAddress;
import io.weft.diagnostics.ReconciliationService;
import io.weft.diagnostics.trace.TraceTestApplication;
import io.weft.diagnostics.trace.TraceWorld;
import io.weft.fabric.HostId;
import io.weft.fabric.Subnet;
import io.weft.fabric.Vm;
import io.weft.fabric.VnicId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The policy around automatic fixes, on expired DHCP leases made on purpose (real leases from the
 * fabric, reported expired by the agent): reclaimed in bounded batches as Kea does (by count and by
 * time per run, the rest in later runs), never while the address is still seen in use, each with an
 * audit entry; a dry run only says what it would do; a fix switched off is not applied.
 */
@SpringBootTest(classes = TraceTestApplication.class)
class ReconciliationPolicyTest {

  @Autowired ApplicationContext context;
  @Autowired JdbcClient jdbc;
  @Autowired ReconciliationService service;

  TraceWorld world;
  HostId host;
  List<String[]> leases = new ArrayList<>(); // [vnic, address]

  @Test
  void expiredLeasesAreReclaimedAtMostNPerRunAndTheRestInLaterRunsButNeverOneInUse() {
    expiredLeases(5, "10.81.0.0/24");
    String[] inUse = leases.getLast();
    seen(inUse, "SOURCE"); // still sending after its lease ran out
    List<String[]> idle = leases.subList(0, 4);
    Reconciler twoPerRun = reconciler(false, true, 2, Duration.ofSeconds(5));

    twoPerRun.runGuarded("MANUAL", null);
    assertThat(reclaimed()).hasSize(2);
    assertThat(states()).containsEntry("FIXED", 2L).containsEntry("OPEN", 3L);
    assertThat(evidence(idle.get(2)))
        .contains("left for a later run: this run's lease reclaim budget (2 leases or 5000 ms)");

    twoPerRun.runGuarded("MANUAL", null);
    twoPerRun.runGuarded("MANUAL", null);
    assertThat(reclaimed()).as("every idle lease reclaimed, once").hasSize(4);
    assertThat(auditedReclaims()).isEqualTo(4);
    for (String[] lease : idle) {
      assertThat(address(lease[0])).as("lease of " + lease[0] + " reclaimed").isNull();
    }
    assertThat(address(inUse[0])).as("seen in use: never reclaimed").isEqualTo(inUse[1]);
    assertThat(evidence(inUse)).contains("still seen in use since, so not reclaimed");
    assertThat(state(inUse)).isEqualTo("OPEN");
  }

  @Test
  void theTimeBudgetStopsReclaimingWithinARun() {
    expiredLeases(3, "10.82.0.0/24");
    reconciler(false, true, 100, Duration.ofNanos(1)).runGuarded("MANUAL", null);
    assertThat(reclaimed()).as("the first reclaim spends the whole 1 ns budget").hasSize(1);
    assertThat(states()).containsEntry("OPEN", 2L);
  }

  @Test
  void aDryRunSaysWhatItWouldReclaimAndChangesNothingAndASwitchedOffFixIsNotApplied() {
    expiredLeases(2, "10.83.0.0/24");
    reconciler(true, true, 100, Duration.ofSeconds(5)).runGuarded("MANUAL", null);
    assertThat(reclaimed()).isEmpty();
    assertThat(auditedReclaims()).isZero();
    assertThat(states()).containsEntry("OPEN", 2L);
    assertThat(evidence(leases.getFirst())).contains("(dry run: a run would reclaim it)");

    reconciler(false, false, 100, Duration.ofSeconds(5)).runGuarded("MANUAL", null);
    assertThat(reclaimed()).as("reclaiming switched off").isEmpty();
    assertThat(states()).containsEntry("OPEN", 2L);
  }

  /**
   * Budgets are per run across the database: no other test's expired lease may compete; and the
   * context is shared, so this test's host takes no other test's VMs.
   */
  @AfterEach
  void forgetTheLeasesAndTakeTheHostDown() {
    for (String[] lease : leases) {
      jdbc.sql("DELETE FROM recon_observation WHERE port_id = :p").param("p", lease[0]).update();
    }
    if (world != null) {
      for (HostId h : world.hostIds) {
        world.hosts.setHostState(TraceWorld.OPERATOR, h, io.weft.fabric.HostState.DOWN);
      }
    }
  }

  // --- helpers ---

  private void expiredLeases(int count, String cidr) {
    world = new TraceWorld(context).hosts(1, 16, 1500).tenant();
    host = world.hostIds.getFirst();
    Subnet subnet = world.subnet(world.network("dhcp"), "s", cidr, true);
    Instant expired = Instant.now().minus(Duration.ofHours(1));
    List<ObservedAddress> seen = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Vm vm = world.dhcpVm("leased-" + i, subnet);
      String vnic = TraceWorld.nic(vm);
      String address = world.vms.leaseDhcpAddress(world.hostOf(vm), VnicId.parse(vnic));
      leases.add(new String[] {vnic, address});
      seen.add(
          new ObservedAddress(
              vnic,
              vsid(subnet),
              null,
              address,
              "LEASE",
              expired.minus(Duration.ofDays(1)),
              expired.minus(Duration.ofHours(12)),
              expired));
    }
    world.allApplied();
    service.recordObservations(host, new HostObservations(null, null, null, seen));
  }

  private void seen(String[] lease, String kind) {
    Instant now = Instant.now();
    service.recordObservations(
        host,
        new HostObservations(
            null,
            null,
            null,
            List.of(
                new ObservedAddress(
                    lease[0],
                    vsidOf(lease[0]),
                    null,
                    lease[1],
                    kind,
                    now.minusSeconds(5),
                    now,
                    null))));
  }

  private Reconciler reconciler(
      boolean dryRun, boolean reclaim, int maxLeases, Duration maxLeaseTime) {
    ReconciliationProperties defaults = context.getBean(ReconciliationProperties.class);
    ReconciliationProperties props =
        new ReconciliationProperties(
            defaults.schedule(),
            defaults.gracePeriod(),
            dryRun,
            defaults.releaseDeletedVmAllocations(),
            defaults.maxFixesPerRun(),
            reclaim,
            maxLeases,
            maxLeaseTime,
            defaults.observationRetention(),
            defaults.observationFreshness());
    return new Reconciler(
        context.getBean(DataSource.class),
        context.getBean(ScopeReader.class),
        context.getBean(ObservationStore.class),
        context.getBean(FindingStore.class),
        context.getBean(AutomaticFixes.class),
        context.getBean(RunLedger.class),
        context.getBean(GuardedRuns.class),
        context.getBean(UnappliedRecords.class),
        props,
        Clock.systemUTC(),
        context.getBeanProvider(MeterRegistry.class));
  }

  /** The test's leases that were reclaimed (the vNIC has no address any more). */
  private List<String> reclaimed() {
    return leases.stream().filter(l -> address(l[0]) == null).map(l -> l[0]).toList();
  }

  private String address(String vnic) {
    return jdbc.sql("SELECT address FROM fabric_vnic WHERE id = :id")
        .param("id", UUID.fromString(vnic))
        .query((rs, n) -> java.util.Optional.ofNullable(rs.getString(1)))
        .single()
        .orElse(null);
  }

  private long auditedReclaims() {
    return jdbc.sql(
            "SELECT count(*) FROM fabric_audit WHERE action = 'vnic.dhcp-reclaim' AND result = 'OK'"
                + " AND actor = 'system:reconciliation' AND tenant_id = :t AND target LIKE"
                + " '% reclaimed'")
        .param("t", world.tenant.value())
        .query(Long.class)
        .single();
  }

  private Map<String, Long> states() {
    Map<String, Long> out = new java.util.HashMap<>();
    jdbc.sql(
            "SELECT state, count(*) FROM recon_finding WHERE tenant_id = :t AND category ="
                + " 'STALE_LEASE' GROUP BY state")
        .param("t", world.tenant.value())
        .query((java.sql.ResultSet rs) -> {
          out.put(rs.getString(1), rs.getLong(2));
        });
    return out;
  }

  private String evidence(String[] lease) {
    return finding(lease, "evidence");
  }

  private String state(String[] lease) {
    return finding(lease, "state");
  }

  private String finding(String[] lease, String column) {
    return jdbc.sql(
            "SELECT "
                + column
                + " FROM recon_finding WHERE tenant_id = :t AND category = 'STALE_LEASE' AND"
                + " address = :a")
        .param("t", world.tenant.value())
        .param("a", lease[1])
        .query(String.class)
        .single();
  }

  private int vsid(Subnet subnet) {
    return jdbc.sql("SELECT vsid FROM fabric_subnet WHERE id = :id")
        .param("id", subnet.id().value())
        .query(Integer.class)
        .single();
  }

  private int vsidOf(String vnic) {
    return jdbc.sql(
            "SELECT s.vsid FROM fabric_vnic n JOIN fabric_subnet s ON s.id = n.subnet_id WHERE"
                + " n.id = :id")
        .param("id", UUID.fromString(vnic))
        .query(Integer.class)
        .single();
  }
}
