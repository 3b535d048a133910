package io.weft.fabric.tables.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.FabricTestApplication;
import io.weft.fabric.HostId;
import io.weft.fabric.Subnet;
import io.weft.fabric.Vm;
import io.weft.fabric.tables.HostTableService;
import io.weft.testkit.PostgresClassDatabase;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A VM create that PostgreSQL picks as a deadlock's victim is not lost: the fabric runs it again
 * and it commits once. (TwoReplicasIT lost a create so in CI: the deadlock's 409 "please retry"
 * looked like "the name is taken" to the test, and the VM was never made.)
 */
@SpringBootTest(classes = FabricTestApplication.class)
class DeadlockVictimOnPostgresTest {

  @RegisterExtension static final PostgresClassDatabase db = new PostgresClassDatabase();

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    db.addDataSource(registry::add);
  }

  @Autowired ApplicationContext ctx;
  @Autowired HostTableService tables;
  @Autowired DataSource dataSource;

  @Test
  void aCreateChosenAsADeadlocksVictimIsRunAgainAndCommitsOnce() throws Exception {
    Cloud cloud = new Cloud(ctx).build(1, "VXLAN").ready();
    HostId host = cloud.hostIds.getFirst();
    Subnet s = cloud.subnet(cloud.network("dl"), "s", "10.31.0.0/24", false);
    cloud.vm("first", List.of(Cloud.staticNic(s, "10.31.0.10")));

    CompletableFuture<Vm> create;
    try (Connection other = dataSource.getConnection();
        Connection probe = dataSource.getConnection()) {
      // This side must not be the victim: where the test's database user may, its own deadlock
      // check waits long enough for the create's to run first whatever the machine's load.
      setDeadlockTimeout(other, "60s");
      // Another transaction holds the host's table row ...
      RowLocks.holdHostTableRow(other, host);
      // ... the create takes the tenant's row and everything else, then waits for that row ...
      create =
          CompletableFuture.supplyAsync(
              () -> cloud.vm("second", List.of(Cloud.staticNic(s, "10.31.0.11"))));
      RowLocks.awaitASessionWaitingOnALock(
          probe, "the create never waited for the host's table row");
      // ... and the other transaction now wants the tenant's row: a deadlock. The create waited
      // first, so its deadlock check runs first and PostgreSQL aborts it; this statement then
      // gets the row (it would fail here had PostgreSQL aborted this side instead).
      RowLocks.lockRow(other, "fabric_tenant", "id", cloud.tenant.value());
      other.rollback();
      other.setAutoCommit(true);
      setDeadlockTimeout(other, "DEFAULT");
    }

    Vm second = create.get(30, TimeUnit.SECONDS);
    assertThat(second.name()).isEqualTo("second");
    assertThat(cloud.vms.listVms(Cloud.OPERATOR, cloud.tenant))
        .extracting(Vm::name)
        .containsExactlyInAnyOrder("first", "second");
    assertThat(second.nics().getFirst().address()).isEqualTo("10.31.0.11");
  }

  private static void setDeadlockTimeout(Connection session, String value) {
    try (var set = session.createStatement()) {
      set.execute(
          "SET deadlock_timeout = " + (value.equals("DEFAULT") ? value : "'" + value + "'"));
    } catch (java.sql.SQLException notASuperuser) {
      // then the create's check still runs first: it started waiting first
    }
  }
}
