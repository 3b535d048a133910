package io.weft.fabric.tables.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.FabricTestApplication;
import io.weft.fabric.HostId;
import io.weft.fabric.Subnet;
import io.weft.fabric.Vm;
import io.weft.fabric.tables.HostTableService;
import io.weft.testkit.PostgresClassDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Transactions that lock several rows of one table lock them in one order ({@link LockOrder}), so
 * they do not deadlock. Each test holds, on a connection of its own, the first of the rows another
 * kind of transaction locks in that order, lets a real fabric transaction run into it, and then
 * takes the next row, as that other transaction would: where the fabric held that row out of order,
 * PostgreSQL found a deadlock (this side, with a 10 ms deadlock timeout, is its victim).
 */
@SpringBootTest(
    classes = FabricTestApplication.class,
    // Only the reports here decide migrations.
    properties = "weft.tables.migration-sweep-interval=1h")
class LockOrderOnPostgresTest {

  private static final String NEVER_WAITED =
      "the fabric's transaction never waited for the held row";

  @RegisterExtension static final PostgresClassDatabase db = new PostgresClassDatabase();

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    db.addDataSource(registry::add);
  }

  @Autowired ApplicationContext ctx;
  @Autowired HostTableService tables;
  @Autowired DataSource dataSource;

  /**
   * An agent's report that switches a migration's peers bumps their host table rows; it also writes
   * its own host's row (counters, last rejection). It took its own row first, then the peers' as it
   * committed; a VM create (or any change) bumps the rows of the hosts it reaches in order. With
   * the report's host last in that order, each held the row the other wanted next: the deadlock of
   * TwoReplicasIT (23f5481 retries its victim; a report is not retried).
   */
  @Test
  void aReportAndAChangeBumpingTheSameHostTablesDoNotDeadlock() throws Exception {
    Cloud cloud = new Cloud(ctx).build(3, "VXLAN").ready();
    List<HostId> ordered = inLockOrder(cloud.hostIds);
    HostId source = ordered.get(0);
    HostId peerHost = ordered.get(1);
    HostId destination = ordered.get(2); // the report's own row comes last in the order
    SimAgents agents = new SimAgents(tables);
    Subnet s = cloud.subnet(cloud.network("order"), "s", "10.41.0.0/24", false);
    Vm mover = cloud.vm("mover", List.of(Cloud.staticNic(s, "10.41.0.10")));
    Vm peer = cloud.vm("peer", List.of(Cloud.staticNic(s, "10.41.0.20")));
    cloud.placeOn(mover, source);
    cloud.placeOn(peer, peerHost);
    for (int i = 0; i < 4; i++) {
      cloud.hostIds.forEach(agents::syncAndReport);
    }
    cloud.vms.migrate(Cloud.OPERATOR, mover.id(), destination);
    agents.sync(destination); // its report now switches the peers: it bumps source and peerHost

    interleave(
        // A change reaching the three hosts, as ChangeLog.append bumps them: in order ...
        change -> {
          bump(change, source);
          bump(change, peerHost);
        },
        () -> agents.report(destination),
        // ... and the last one, which the report took at its start before this fix.
        change -> bump(change, destination));

    assertThat(phase()).isEqualTo("RECORDS_SWITCHED");
    assertThat(tables.lastReport(Cloud.OPERATOR, destination))
        .hasValueSatisfying(r -> assertThat(r.countersJson()).isEqualTo("{\"rx\":0}"));
  }

  /**
   * A migration locks its target's host row and then, moving the VM's count, its source's. Two
   * migrations between the same two hosts in opposite directions took them in opposite orders.
   */
  @Test
  void twoMigrationsBetweenTheSameHostsInOppositeDirectionsDoNotDeadlock() throws Exception {
    Cloud cloud = new Cloud(ctx).build(2, "VXLAN").ready();
    List<HostId> ordered = inLockOrder(cloud.hostIds);
    HostId first = ordered.get(0);
    HostId second = ordered.get(1);
    Subnet s = cloud.subnet(cloud.network("cross"), "s", "10.42.0.0/24", false);
    Vm up = cloud.vm("up", List.of(Cloud.staticNic(s, "10.42.0.10")));
    cloud.placeOn(up, first);

    interleave(
        // A migration from the second host to the first: its target's row, first in both orders ...
        other -> RowLocks.lockRow(other, "fabric_host", "id", first.value()),
        () -> cloud.vms.migrate(Cloud.OPERATOR, up.id(), second),
        // ... then its source's, which a move the other way held from its start before this fix.
        other -> RowLocks.lockRow(other, "fabric_host", "id", second.value()));

    assertThat(cloud.vms.getVm(Cloud.OPERATOR, cloud.tenant, up.id()).placement())
        .hasValueSatisfying(p -> assertThat(p.hostId()).isEqualTo(second));
    assertThat(cloud.hosts.getHost(Cloud.OPERATOR, first).vmCount()).isZero();
    assertThat(cloud.hosts.getHost(Cloud.OPERATOR, second).vmCount()).isEqualTo(1);
  }

  /**
   * A migration (or placement) holds its hosts' rows until it commits. Held {@code FOR UPDATE},
   * they blocked the foreign key check of every change-log row another change writes for those
   * hosts ({@code fabric_table_log.host_id}); two changes, each holding a host and logging a delta
   * for the other's, deadlocked so in the scale bench's burst. {@code FOR NO KEY UPDATE} leaves the
   * check free.
   */
  @Test
  void aChangeLogsADeltaForAHostAMigrationHolds() throws Exception {
    Cloud cloud = new Cloud(ctx).build(2, "VXLAN").ready();
    HostId source = cloud.hostIds.get(0);
    HostId target = cloud.hostIds.get(1);
    Subnet s = cloud.subnet(cloud.network("key"), "s", "10.43.0.0/24", false);
    Vm vm = cloud.vm("moved", List.of(Cloud.staticNic(s, "10.43.0.10")));
    cloud.placeOn(vm, source);

    interleave(
        // Another change reaching the target host: its generation first ...
        change -> bump(change, target),
        () -> cloud.vms.migrate(Cloud.OPERATOR, vm.id(), target),
        // ... then its delta in the log, whose host_id is checked against the held host row.
        change -> {
          try (PreparedStatement log =
              change.prepareStatement(
                  "INSERT INTO fabric_table_log (host_id, generation, delta, joined, created_at)"
                      + " VALUES (?, 1000000, '{}', '', now())")) {
            log.setObject(1, target.value());
            log.executeUpdate();
          }
        });

    assertThat(cloud.vms.getVm(Cloud.OPERATOR, cloud.tenant, vm.id()).placement())
        .hasValueSatisfying(p -> assertThat(p.hostId()).isEqualTo(target));
  }

  /**
   * A replica starting on a restored database moves every host table's generation while the
   * replicas already serving place VMs, which bump those rows in order. The move updated every row
   * in the table's physical order: it held a later row and waited for an earlier one that a change
   * held, which then wanted the later one.
   */
  @Test
  void aReplicaStartingOnARestoredDatabaseDoesNotDeadlockWithAServingOne() throws Exception {
    Cloud cloud = new Cloud(ctx).build(2, "VXLAN").ready();
    List<HostId> ordered = inLockOrder(cloud.hostIds);
    HostId first = ordered.get(0);
    HostId second = ordered.get(1);
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    // A committed bump writes the first host's row anew, after the second's in the heap.
    jdbc.update(
        "UPDATE fabric_table_host SET generation = generation + 1 WHERE host_id = ?",
        first.value());
    long before = generation(jdbc, second);
    jdbc.update(
        "UPDATE fabric_database_identity SET recorded_as = 'elsewhere/1'"
            + " WHERE item = 'postgres-database'");
    RestoredDatabaseGuard guard =
        new RestoredDatabaseGuard(
            JdbcClient.create(dataSource),
            new DatabaseKind(dataSource),
            ctx.getBean(PlatformTransactionManager.class));

    interleave(
        // A change reaching both hosts, in order: the first ...
        change -> bump(change, first),
        guard::afterPropertiesSet,
        // ... then the second, which the unordered move had taken before it waited.
        change -> bump(change, second));

    assertThat(generation(jdbc, second)).isEqualTo(before + RestoredDatabaseGuard.GENERATION_JUMP);
    assertThat(
            jdbc.queryForObject(
                "SELECT recorded_as FROM fabric_database_identity"
                    + " WHERE item = 'postgres-database'",
                String.class))
        .isNotEqualTo("elsewhere/1");
  }

  private static long generation(JdbcTemplate jdbc, HostId host) {
    return jdbc.queryForObject(
        "SELECT generation FROM fabric_table_host WHERE host_id = ?", Long.class, host.value());
  }

  @Test
  void lockOrderIsTheDatabasesOrderOfUuids() throws Exception {
    List<UUID> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 64; i++) {
      ids.add(UUID.randomUUID());
    }
    ids.add(UUID.fromString("80000000-0000-0000-0000-000000000000"));
    ids.add(UUID.fromString("7fffffff-ffff-ffff-ffff-ffffffffffff"));
    ids.add(UUID.fromString("00000000-0000-0000-8000-000000000000"));
    ids.add(UUID.fromString("00000000-0000-0000-7fff-ffffffffffff"));
    List<UUID> database = new java.util.ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement q =
            c.prepareStatement("SELECT id FROM unnest(?::uuid[]) AS t(id) ORDER BY id")) {
      q.setArray(1, c.createArrayOf("uuid", ids.toArray()));
      try (var rows = q.executeQuery()) {
        while (rows.next()) {
          database.add(rows.getObject(1, UUID.class));
        }
      }
    }
    assertThat(LockOrder.sorted(ids)).containsExactlyElementsOf(database);
  }

  private static List<HostId> inLockOrder(List<HostId> hosts) {
    return LockOrder.sorted(hosts.stream().map(HostId::value).toList()).stream()
        .map(HostId::new)
        .toList();
  }

  /** What the other transaction does on its connection. */
  private interface Step {
    void on(Connection session) throws Exception;
  }

  /**
   * The other transaction, on a connection of its own: it takes its {@code first} rows, the
   * fabric's transaction runs into them, then it takes its {@code next} ones and rolls back. A
   * deadlock makes this side the victim (its deadlock check runs first), and the fabric's
   * transaction must finish within 30 s.
   */
  private void interleave(Step first, Runnable fabric, Step next) throws Exception {
    CompletableFuture<Void> running;
    try (Connection other = dataSource.getConnection();
        Connection probe = dataSource.getConnection()) {
      victimOfAnyDeadlock(other);
      other.setAutoCommit(false);
      first.on(other);
      running = CompletableFuture.runAsync(fabric);
      RowLocks.awaitASessionWaitingOnALock(probe, NEVER_WAITED);
      next.on(other);
      other.rollback();
    }
    running.get(30, TimeUnit.SECONDS);
  }

  /** This session runs PostgreSQL's deadlock check first (the test's user is a superuser). */
  private static void victimOfAnyDeadlock(Connection session) throws Exception {
    try (var set = session.createStatement()) {
      set.execute("SET deadlock_timeout = '10ms'");
      set.execute("SET lock_timeout = '20s'");
    }
  }

  private static void bump(Connection session, HostId host) throws Exception {
    try (PreparedStatement bump =
        session.prepareStatement(
            "UPDATE fabric_table_host SET generation = generation + 1 WHERE host_id = ?")) {
      bump.setObject(1, host.value());
      assertThat(bump.executeUpdate()).isEqualTo(1);
    }
  }

  private String phase() {
    return tables.migrations(Cloud.OPERATOR, 1).getFirst().phase();
  }
}
