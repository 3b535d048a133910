package io.weft.ipam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/** Concurrent allocators on one PostgreSQL never hand out one address twice. */
@EnabledIf("io.weft.ipam.PostgresSupport#available")
@SpringBootTest(classes = IpamTestApplication.class)
class PostgresConcurrencyTest {

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    PostgresSupport.register(registry);
  }

  @Autowired AddressPoolService pools;
  @Autowired TransactionTemplate tx;
  @Autowired JdbcTemplate jdbc;

  @Test
  void eightThreadsTimesAThousandAllocationsAreAllDistinct() throws Exception {
    PoolId pool = pools.createPool("race:" + UUID.randomUUID(), IpPrefix.parse("10.20.0.0/16"));
    RangeId range = pools.addRange(pool, IpPrefix.parse("10.20.0.0/16").hosts(), "static");
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<IpAddressValue>>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        String owner = "client-" + t;
        results.add(
            threads.submit(() -> {
              List<IpAddressValue> got = new ArrayList<>(1_000);
              for (int i = 0; i < 1_000; i++) {
                got.add(pools.allocateNext(pool, range, owner));
              }
              return got;
            }));
      }
      Set<IpAddressValue> distinct = new HashSet<>();
      int total = 0;
      for (Future<List<IpAddressValue>> result : results) {
        List<IpAddressValue> got = result.get(120, TimeUnit.SECONDS);
        total += got.size();
        distinct.addAll(got);
      }
      assertThat(total).isEqualTo(8_000);
      assertThat(distinct).hasSize(8_000);
      assertThat(pools.usage(range).allocated()).isEqualTo(java.math.BigInteger.valueOf(8_000));
      assertThat(pools.allocations(pool)).hasSize(8_000);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void theLoserOfARaceForTheLastAddressGetsACleanExhaustion() throws Exception {
    PoolId pool = pools.createPool("race:" + UUID.randomUUID(), IpPrefix.parse("10.21.0.0/24"));
    RangeId range = pools.addRange(pool, IpRange.parse("10.21.0.10-10.21.0.11"), "static");
    pools.allocateNext(pool, range, "earlier");

    Outcome outcome = race(pool, range, true);

    assertThat(outcome.winner()).isEqualTo(IpAddressValue.parse("10.21.0.11"));
    assertThat(outcome.loser())
        .isInstanceOf(PoolExhaustedException.class)
        .hasMessageContaining("no free address left");
    assertThat(outcome.loserWaitedForWinner()).isTrue();
    assertThat(pools.ownerOf(pool, IpAddressValue.parse("10.21.0.11"))).contains("winner");
  }

  @Test
  void whenTheWinnerRollsBackTheWaiterGetsTheAddress() throws Exception {
    PoolId pool = pools.createPool("race:" + UUID.randomUUID(), IpPrefix.parse("10.22.0.0/24"));
    RangeId range = pools.addRange(pool, IpRange.parse("10.22.0.10-10.22.0.10"), "static");

    Outcome outcome = race(pool, range, false);

    assertThat(outcome.winner()).isEqualTo(IpAddressValue.parse("10.22.0.10"));
    assertThat(outcome.loserGot()).isEqualTo(IpAddressValue.parse("10.22.0.10"));
    assertThat(pools.ownerOf(pool, IpAddressValue.parse("10.22.0.10"))).contains("loser");
  }

  @Test
  void explicitAllocationsOfOneAddressHaveExactlyOneWinner() throws Exception {
    PoolId pool = pools.createPool("race:" + UUID.randomUUID(), IpPrefix.parse("10.23.0.0/24"));
    pools.addRange(pool, IpRange.parse("10.23.0.10-10.23.0.100"), "static");
    for (String address : List.of("10.23.0.50", "10.23.0.200")) { // inside and outside a range
      IpAddressValue wanted = IpAddressValue.parse(address);
      ExecutorService threads = Executors.newFixedThreadPool(8);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        String owner = "client-" + t;
        Callable<Boolean> attempt =
            () -> {
              start.await();
              try {
                pools.allocate(pool, wanted, owner);
                return true;
              } catch (AddressInUseException e) {
                return false;
              }
            };
        results.add(threads.submit(attempt));
      }
      start.countDown();
      int winners = 0;
      for (Future<Boolean> result : results) {
        winners += result.get(60, TimeUnit.SECONDS) ? 1 : 0;
      }
      threads.shutdownNow();
      assertThat(winners).as(address).isEqualTo(1);
    }
  }

  @Test
  void allocatorsAndReleasersTogetherKeepTheBooksBalanced() throws Exception {
    PoolId pool = pools.createPool("churn:" + UUID.randomUUID(), IpPrefix.parse("10.24.0.0/24"));
    RangeId range = pools.addRange(pool, IpRange.parse("10.24.0.1-10.24.0.40"), "static");
    ExecutorService threads = Executors.newFixedThreadPool(6);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        String owner = "client-" + t;
        results.add(
            threads.submit(() -> {
              List<IpAddressValue> mine = new ArrayList<>();
              int exhausted = 0;
              for (int i = 0; i < 150; i++) {
                if (mine.size() < 8) {
                  try {
                    mine.add(pools.allocateNext(pool, range, owner));
                  } catch (PoolExhaustedException e) {
                    exhausted++;
                  }
                } else {
                  pools.release(pool, mine.removeFirst());
                }
              }
              for (IpAddressValue address : mine) {
                assertThat(pools.ownerOf(pool, address)).contains(owner);
              }
              return exhausted;
            }));
      }
      for (Future<Integer> result : results) {
        result.get(120, TimeUnit.SECONDS);
      }
      // Free space and allocations still add up: nothing leaked, nothing counted twice.
      RangeUsage usage = pools.usage(range);
      assertThat(usage.allocated().intValueExact()).isEqualTo(pools.allocations(pool).size());
      Integer overlapping =
          jdbc.queryForObject(
              "SELECT COUNT(*) FROM ipam_allocation a JOIN ipam_free_interval f"
                  + " ON f.range_id = a.range_id AND a.num BETWEEN f.next_value AND f.last_value"
                  + " WHERE a.pool_id = ?",
              Integer.class,
              pool.value());
      assertThat(overlapping).isZero();
    } finally {
      threads.shutdownNow();
    }
  }

  record Outcome(
      IpAddressValue winner,
      Throwable loser,
      IpAddressValue loserGot,
      boolean loserWaitedForWinner) {}

  /**
   * The winner takes the last address and holds its transaction open; the loser starts only then,
   * and must wait for the winner's row lock. The winner commits (or rolls back) only once the loser
   * is seen waiting on a lock in pg_stat_activity, so the loser's path is deterministic.
   */
  private Outcome race(PoolId pool, RangeId range, boolean winnerCommits) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    CountDownLatch winnerHolds = new CountDownLatch(1);
    CountDownLatch finishWinner = new CountDownLatch(1);
    long[] winnerEnded = new long[1];
    try {
      Future<IpAddressValue> winner =
          threads.submit(() ->
              tx.execute(status -> {
                IpAddressValue got = pools.allocateNext(pool, range, "winner");
                winnerHolds.countDown();
                await(finishWinner);
                if (!winnerCommits) {
                  status.setRollbackOnly();
                }
                winnerEnded[0] = System.nanoTime();
                return got;
              }));
      assertThat(winnerHolds.await(30, TimeUnit.SECONDS)).isTrue();
      Future<IpAddressValue> loser = threads.submit(() -> pools.allocateNext(pool, range, "loser"));
      PostgresSupport.awaitSessionsWaitingOnALock(jdbc, 1);
      assertThat(loser.isDone()).as("the loser must wait for the winner").isFalse();
      finishWinner.countDown();
      IpAddressValue won = winner.get(30, TimeUnit.SECONDS);
      try {
        IpAddressValue got = loser.get(30, TimeUnit.SECONDS);
        return new Outcome(won, null, got, System.nanoTime() > winnerEnded[0]);
      } catch (java.util.concurrent.ExecutionException e) {
        return new Outcome(won, e.getCause(), null, System.nanoTime() > winnerEnded[0]);
      }
    } finally {
      finishWinner.countDown();
      threads.shutdownNow();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("test latch timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
