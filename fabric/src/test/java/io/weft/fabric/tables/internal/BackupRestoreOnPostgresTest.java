package io.weft.fabric.tables.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.table.TableMessage;
import io.weft.fabric.FabricTestApplication;
import io.weft.fabric.HostId;
import io.weft.fabric.Subnet;
import io.weft.fabric.tables.HostTableService;
import io.weft.testkit.PostgresTestDatabase;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The backup and restore of docs/operations.md, done as an operator would: {@code pg_dump} of the
 * live database, more changes that agents apply, then {@code pg_restore} into a fresh database and
 * a replica on it. The agents are now ahead of the restored generations, and the restored database
 * even catches up with their generation numbers before they poll again (a busy cloud): each agent
 * must still get a full snapshot and end with exactly the table the restored database describes.
 */
class BackupRestoreOnPostgresTest {

  @Test
  void agentsAheadOfARestoredDatabaseTakeAFullSnapshotAndReconverge() throws Exception {
    Path dump = Files.createTempFile("weft-backup-", ".dump");
    try (PostgresTestDatabase live =
            PostgresTestDatabase.createOrSkip("BackupRestoreOnPostgresTest");
        PostgresTestDatabase restored = PostgresTestDatabase.create()) {
      Cloud cloud;
      SimAgents agents;
      Subnet subnet;
      try (ConfigurableApplicationContext before = FabricTestApplication.replicaOn(live)) {
        cloud = new Cloud(before).build(2, "VXLAN").ready();
        subnet = cloud.subnet(cloud.network("n"), "s", "10.4.0.0/24", false);
        for (int i = 0; i < 4; i++) {
          cloud.vm("before-" + i, List.of(Cloud.staticNic(subnet, "10.4.0." + (10 + i))));
        }
        agents = new SimAgents(before.getBean(HostTableService.class));
        cloud.hostIds.forEach(agents::sync);
        run(live, "pg_dump", "-Fc", "-f", dump.toString(), live.name());
        for (int i = 0; i < 6; i++) {
          cloud.vm("after-backup-" + i, List.of(Cloud.staticNic(subnet, "10.4.0." + (30 + i))));
        }
        cloud.hostIds.forEach(agents::sync);
      }
      run(restored, "pg_restore", "--no-owner", "-d", restored.name(), dump.toString());

      try (ConfigurableApplicationContext after = FabricTestApplication.replicaOn(restored)) {
        Cloud again = cloud.rebind(after);
        HostTableService tables = after.getBean(HostTableService.class);
        SimAgents ahead = agents.talkingTo(tables);
        // The restored cloud changes until every host's generation reaches its agent's.
        for (int i = 0; behind(tables, ahead, again.hostIds); i++) {
          again.vm("catch-up-" + i, List.of(Cloud.staticNic(subnet, "10.4.0." + (100 + i))));
        }
        List<String> kinds = new ArrayList<>();
        for (HostId h : again.hostIds) {
          Optional<TableMessage> message = ahead.sync(h);
          assertThat(message).as("host %s answered", h).isPresent();
          kinds.add(message.get().getClass().getSimpleName());
          ahead.assertMatchesFull(h, "after the restore");
        }
        assertThat(kinds).as("what agents ahead of the restore got").containsOnly("Snapshot");
        assertThat(again.vms.listVms(again.tenantCaller, again.tenant))
            .extracting(v -> v.name())
            .noneMatch(name -> name.startsWith("after-backup-"));
      }
    } finally {
      Files.deleteIfExists(dump);
    }
  }

  private static boolean behind(HostTableService tables, SimAgents agents, List<HostId> hosts) {
    return hosts.stream().anyMatch(h -> tables.generation(h) < agents.applied.get(h).generation());
  }

  /** Runs a PostgreSQL client tool against the test server, as the operations guide does. */
  private static void run(PostgresTestDatabase db, String tool, String... args)
      throws IOException, InterruptedException {
    URI server = URI.create(db.jdbcUrl().substring("jdbc:".length()));
    List<String> command = new ArrayList<>(List.of(tool, "-h", server.getHost()));
    command.addAll(List.of("-p", Integer.toString(server.getPort()), "-U", db.user()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("PGPASSWORD", db.password());
    Process p = builder.start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("%s: %s", command, output).isZero();
  }
}
