package io.weft.fabric.tables.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.FabricTestApplication;
import io.weft.fabric.HostId;
import io.weft.fabric.Subnet;
import io.weft.fabric.Vm;
import io.weft.testkit.PostgresClassDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Agents seen through their polls, on PostgreSQL; and the batch that writes their times beside
 * placements and migrations, which lock host rows ({@link LockOrder}): it neither waits for a held
 * row nor deadlocks with the transaction holding it.
 */
@SpringBootTest(
    classes = FabricTestApplication.class,
    properties = {"weft.tables.seen-flush-interval=1h", "weft.tables.migration-sweep-interval=1h"})
class AgentLivenessOnPostgresTest extends AgentLivenessContract {

  @RegisterExtension static final PostgresClassDatabase db = new PostgresClassDatabase();

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    db.addDataSource(registry::add);
  }

  @Autowired DataSource dataSource;

  /**
   * A placement or migration holds its hosts' rows until it commits. The batch passes over a held
   * row (its sighting is kept for the next flush) instead of waiting behind the transaction; with
   * the held row first in lock order and another transaction waiting for the next, a batch that
   * waited would block the placement for as long as it holds the first.
   */
  @Test
  void theBatchPassesOverAHostRowAPlacementHoldsAndWritesItLater() throws Exception {
    Cloud cloud = new Cloud(ctx).build(3, "VXLAN").ready();
    List<HostId> ordered =
        LockOrder.sorted(cloud.hostIds.stream().map(HostId::value).toList()).stream()
            .map(HostId::new)
            .toList();
    HostId held = ordered.get(1);
    Instant hourAgo = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
    ordered.forEach(h -> agedOut(h, hourAgo));
    ordered.forEach(tables::agentPolled);

    try (Connection placement = dataSource.getConnection()) {
      placement.setAutoCommit(false);
      try (PreparedStatement lock =
          placement.prepareStatement("SELECT id FROM fabric_host WHERE id = ? FOR NO KEY UPDATE")) {
        lock.setObject(1, held.value());
        lock.executeQuery().close();
      }
      CompletableFuture<Integer> flush = CompletableFuture.supplyAsync(sightings::flush);
      assertThat(flush.get(30, TimeUnit.SECONDS))
          .as("the batch wrote the free rows without waiting for the held one")
          .isEqualTo(2);
      assertThat(hosts.getHost(Cloud.OPERATOR, ordered.get(0)).lastSeenAt()).isAfter(hourAgo);
      assertThat(hosts.getHost(Cloud.OPERATOR, ordered.get(2)).lastSeenAt()).isAfter(hourAgo);
      placement.rollback();
    }
    assertThat(hosts.getHost(Cloud.OPERATOR, held).lastSeenAt()).isEqualTo(hourAgo);

    assertThat(sightings.flush()).as("the held host's sighting was kept").isEqualTo(1);
    assertThat(hosts.getHost(Cloud.OPERATOR, held).lastSeenAt()).isAfter(hourAgo);
  }

  /**
   * Real migrations between the hosts while the batch writes their times again and again: each
   * migration commits and every flush returns (no deadlock, no wait), and every host ends seen.
   */
  @Test
  void migrationsAndBatchesAtOnceDoNotDeadlock() throws Exception {
    Cloud cloud = new Cloud(ctx).build(4, "VXLAN").ready();
    Subnet s = cloud.subnet(cloud.network("busy"), "s", "10.63.0.0/24", false);
    Vm a = cloud.vm("a", List.of(Cloud.staticNic(s, "10.63.0.10")));
    Vm b = cloud.vm("b", List.of(Cloud.staticNic(s, "10.63.0.11")));
    CompletableFuture<Void> moves =
        CompletableFuture.runAsync(() -> {
          for (int i = 0; i < 20; i++) {
            cloud.placeOn(a, cloud.hostIds.get(i % 4));
            cloud.placeOn(b, cloud.hostIds.get((i + 2) % 4));
          }
        });
    Instant hourAgo = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
    CompletableFuture<Void> batches =
        CompletableFuture.runAsync(() -> {
          for (int i = 0; i < 40; i++) {
            cloud.hostIds.forEach(h -> agedOut(h, hourAgo));
            sightings.forgetWrites();
            cloud.hostIds.forEach(tables::agentPolled);
            sightings.flush();
          }
        });
    moves.get(60, TimeUnit.SECONDS);
    batches.get(60, TimeUnit.SECONDS);

    cloud.hostIds.forEach(h -> agedOut(h, hourAgo));
    sightings.forgetWrites();
    cloud.hostIds.forEach(tables::agentPolled);
    sightings.flush();
    for (HostId h : cloud.hostIds) {
      assertThat(hosts.getHost(Cloud.OPERATOR, h).lastSeenAt()).isAfter(hourAgo);
    }
  }

  private void agedOut(HostId host, Instant at) {
    jdbc.sql("UPDATE fabric_host SET last_seen_at = :at WHERE id = :id")
        .param("at", Timestamp.from(at))
        .param("id", host.value())
        .update();
  }
}
