package io.weft.fabric.tables.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.table.TableMessage;
import io.weft.fabric.FabricTestApplication;
import io.weft.fabric.HostId;
import io.weft.fabric.Subnet;
import io.weft.fabric.VmNetwork;
import io.weft.fabric.tables.HostTableService;
import io.weft.testkit.PostgresTestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two fabric replicas on one PostgreSQL database: a change committed through replica A wakes a
 * long-poll held by replica B promptly (LISTEN/NOTIFY), and B serves the delta A logged.
 */
class CrossReplicaWakeUpTest {

  @Test
  void commitOnOneReplicaWakesLongPollOnTheOther() throws Exception {
    try (PostgresTestDatabase db = PostgresTestDatabase.createOrSkip("CrossReplicaWakeUpTest");
        ConfigurableApplicationContext a = FabricTestApplication.replicaOn(db);
        ConfigurableApplicationContext b = FabricTestApplication.replicaOn(db)) {
      Cloud cloud = new Cloud(a).build(2, "NVGRE").ready();
      VmNetwork n = cloud.network("x");
      Subnet s = cloud.subnet(n, "s", "10.3.0.0/24", true);
      HostTableService onB = b.getBean(HostTableService.class);
      SimAgents agents = new SimAgents(onB);
      cloud.hostIds.forEach(agents::sync);
      for (HostId h : cloud.hostIds) {
        agents.assertMatchesFull(h, "replica B serves A's tables");
      }
      long worst = 0;
      for (int round = 0; round < 3; round++) {
        // Poll every host on B; one of them receives the new VM.
        List<CompletableFuture<Long>> polls =
            cloud.hostIds.stream()
                .map(h -> {
                  long since = agents.applied.get(h).generation();
                  return CompletableFuture.supplyAsync(() -> {
                    Optional<TableMessage> m = onB.awaitChanges(h, since, Duration.ofSeconds(10));
                    return m.isPresent() ? System.nanoTime() : -1L;
                  });
                })
                .toList();
        Thread.sleep(300);
        long committed = System.nanoTime();
        cloud.vm("v" + round, List.of(Cloud.staticNic(s, "10.3.0." + (10 + round))));
        long first = Long.MAX_VALUE;
        for (CompletableFuture<Long> p : polls) {
          long woke = p.get();
          if (woke > 0) {
            first = Math.min(first, woke);
          }
        }
        assertThat(first).as("a poll on B woke").isNotEqualTo(Long.MAX_VALUE);
        long ms = (first - committed) / 1_000_000;
        worst = Math.max(worst, ms);
        cloud.hostIds.forEach(agents::sync);
      }
      System.out.printf("[tables] cross-replica wake-up, worst of 3: %d ms after commit%n", worst);
      assertThat(worst).as("woken promptly, not at the 10 s timeout").isLessThan(3000);
      for (HostId h : cloud.hostIds) {
        agents.assertMatchesFull(h, "after cross-replica changes");
      }
    }
  }
}
