package io.weft.ipam;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.testkit.PostgresTestDatabase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two fabric replicas, each with its own IPAM services, connection pool and queues of callers
 * sharing next-free statements, on one PostgreSQL database: they never hand out one address twice,
 * and the race for the last addresses ends cleanly on both.
 */
@EnabledIf("io.weft.ipam.PostgresSupport#available")
class TwoReplicasOnPostgresTest {

  private static final int CALLERS_PER_REPLICA = 4;

  static ConfigurableApplicationContext a;
  static ConfigurableApplicationContext b;

  @BeforeAll
  static void start() {
    a = replica();
    b = replica();
  }

  @AfterAll
  static void stop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }

  private static ConfigurableApplicationContext replica() {
    PostgresTestDatabase db = PostgresSupport.database();
    return new SpringApplicationBuilder(IpamTestApplication.class)
        .run(
            "--spring.datasource.url=" + db.jdbcUrl(),
            "--spring.datasource.username=" + db.user(),
            "--spring.datasource.password=" + db.password(),
            "--spring.datasource.hikari.maximum-pool-size=4");
  }

  @Test
  void replicasAllocatingFromOneRangeHandOutEachAddressOnce() throws Exception {
    AddressPoolService onA = a.getBean(AddressPoolService.class);
    IpPrefix prefix = IpPrefix.parse("10.40.0.0/16");
    PoolId pool = onA.createPool("replicas:" + UUID.randomUUID(), prefix);
    RangeId range = onA.addRange(pool, prefix.hosts(), "static");

    List<List<IpAddressValue>> outcomes = fromBothReplicas(500, pool, range);

    Map<IpAddressValue, String> handedOut = new HashMap<>();
    for (int n = 0; n < outcomes.size(); n++) {
      String caller = "caller-" + n;
      for (IpAddressValue got : outcomes.get(n)) {
        assertThat(handedOut.put(got, caller)).as("%s handed out twice", got).isNull();
      }
    }
    assertThat(handedOut).hasSize(2 * CALLERS_PER_REPLICA * 500);
    for (Allocation allocation : b.getBean(AddressPoolService.class).allocations(pool)) {
      assertThat(allocation.owner())
          .as("owner of %s", allocation.address())
          .isEqualTo(handedOut.get(allocation.address()));
    }
  }

  @Test
  void replicasRacingForTheLastAddressesGetThemOrACleanExhaustion() throws Exception {
    AddressPoolService onA = a.getBean(AddressPoolService.class);
    PoolId pool = onA.createPool("replicas:" + UUID.randomUUID(), IpPrefix.parse("10.41.0.0/24"));
    RangeId range = onA.addRange(pool, IpRange.parse("10.41.0.10-10.41.0.12"), "static");

    List<IpAddressValue> winners =
        fromBothReplicas(1, pool, range).stream().flatMap(List::stream).toList();
    assertThat(winners)
        .containsExactlyInAnyOrder(
            IpAddressValue.parse("10.41.0.10"),
            IpAddressValue.parse("10.41.0.11"),
            IpAddressValue.parse("10.41.0.12"));
    assertThat(onA.allocations(pool)).hasSize(3);
  }

  /**
   * {@link #CALLERS_PER_REPLICA} callers on each replica, at once, each allocating up to {@code
   * each} addresses (stopping at a clean exhaustion); what each got, caller by caller.
   */
  private static List<List<IpAddressValue>> fromBothReplicas(int each, PoolId pool, RangeId range)
      throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(2 * CALLERS_PER_REPLICA);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<List<IpAddressValue>>> results = new ArrayList<>();
      for (int n = 0; n < 2 * CALLERS_PER_REPLICA; n++) {
        AddressPoolService pools = (n % 2 == 0 ? a : b).getBean(AddressPoolService.class);
        String caller = "caller-" + n;
        Callable<List<IpAddressValue>> work =
            () -> {
              go.await();
              List<IpAddressValue> got = new ArrayList<>();
              try {
                for (int i = 0; i < each; i++) {
                  got.add(pools.allocateNext(pool, range, caller));
                }
              } catch (PoolExhaustedException e) {
                // the range ran out: what this caller got so far is its share
              }
              return got;
            };
        results.add(threads.submit(work));
      }
      go.countDown();
      List<List<IpAddressValue>> outcomes = new ArrayList<>();
      for (Future<List<IpAddressValue>> result : results) {
        outcomes.add(result.get(120, TimeUnit.SECONDS));
      }
      return outcomes;
    } finally {
      threads.shutdownNow();
    }
  }
}
