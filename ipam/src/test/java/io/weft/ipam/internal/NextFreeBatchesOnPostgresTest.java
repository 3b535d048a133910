package io.weft.ipam.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.ipam.AddressPoolService;
import io.weft.ipam.Allocation;
import io.weft.ipam.IpAddressValue;
import io.weft.ipam.IpPrefix;
import io.weft.ipam.IpRange;
import io.weft.ipam.IpamTestApplication;
import io.weft.ipam.PoolExhaustedException;
import io.weft.ipam.PoolId;
import io.weft.ipam.RangeId;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.Statement;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Concurrent next-free callers without a transaction share statements on PostgreSQL. Sharing must
 * never blur whose address is whose, lose a caller when the free interval runs short, or turn the
 * race for the last addresses into anything but clean exhaustion.
 */
@EnabledIf("io.weft.ipam.PostgresSupport#available")
@SpringBootTest(classes = IpamTestApplication.class)
class NextFreeBatchesOnPostgresTest {

  @Autowired AddressPoolService pools;
  @Autowired NextFreeBatches batches;
  @Autowired JdbcTemplate jdbc;

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    io.weft.ipam.PostgresSupport.register(registry);
  }

  @Test
  void everyCallerGetsTheAddressRecordedForItAndCallersShareStatements() throws Exception {
    IpPrefix prefix = IpPrefix.parse("10.30.0.0/16");
    PoolId pool = pools.createPool("batches:" + UUID.randomUUID(), prefix);
    RangeId range = pools.addRange(pool, prefix.hosts(), "static");
    long statementsBefore = batches.statementsRun();

    List<List<Object>> outcomes =
        concurrently(
            8,
            client -> {
              List<Object> got = new ArrayList<>();
              for (int i = 0; i < 250; i++) {
                got.add(pools.allocateNext(pool, range, "client-" + client));
              }
              return got;
            });

    Map<IpAddressValue, String> handedOut = new HashMap<>();
    for (int client = 0; client < outcomes.size(); client++) {
      for (Object address : outcomes.get(client)) {
        assertThat(handedOut.put((IpAddressValue) address, "client-" + client))
            .as("%s handed out twice", address)
            .isNull();
      }
    }
    assertThat(handedOut).hasSize(2_000);
    Map<IpAddressValue, String> recorded = new HashMap<>();
    for (Allocation allocation : pools.allocations(pool)) {
      recorded.put(allocation.address(), allocation.owner());
    }
    assertThat(recorded.keySet()).isEqualTo(handedOut.keySet());
    assertThat(
            handedOut.entrySet().stream()
                .filter(given -> !given.getValue().equals(recorded.get(given.getKey())))
                .map(given ->
                    given.getKey()
                        + " went to "
                        + given.getValue()
                        + " but is recorded for "
                        + recorded.get(given.getKey()))
                .limit(5))
        .isEmpty();
    assertThat(batches.statementsRun() - statementsBefore)
        .as("statements for 2,000 allocations by 8 concurrent callers")
        .isLessThan(2_000);
    assertThat(batches.lanesInUse()).isZero();
  }

  @Test
  void aStatementOnAShortIntervalServesTheFirstOwnersOnly() {
    PoolId pool = pools.createPool("batches:" + UUID.randomUUID(), IpPrefix.parse("10.31.0.0/24"));
    RangeId range = pools.addRange(pool, IpRange.parse("10.31.0.10-10.31.0.15"), "static");
    List<String> owners = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");

    List<BigInteger> values = batches.take(pool.value(), range.value(), owners);

    assertThat(values).hasSize(6);
    for (int n = 0; n < values.size(); n++) {
      IpAddressValue address = IpAddressValue.parse("10.31.0." + (10 + n));
      assertThat(values.get(n)).isEqualTo(address.value());
      assertThat(pools.ownerOf(pool, address)).contains(owners.get(n));
    }
    assertThat(pools.allocations(pool)).hasSize(6);
    assertThat(batches.take(pool.value(), range.value(), owners)).isEmpty();
    assertThatThrownBy(() -> pools.allocateNext(pool, range, "late"))
        .isInstanceOf(PoolExhaustedException.class);
  }

  @Test
  void callersRacingForTheLastAddressesGetThemOrACleanExhaustion() throws Exception {
    PoolId pool = pools.createPool("batches:" + UUID.randomUUID(), IpPrefix.parse("10.32.0.0/24"));
    RangeId range = pools.addRange(pool, IpRange.parse("10.32.0.10-10.32.0.14"), "static");

    List<Object> outcomes =
        concurrently(
                12,
                client -> {
                  try {
                    return List.<Object>of(pools.allocateNext(pool, range, "client-" + client));
                  } catch (PoolExhaustedException e) {
                    return List.<Object>of(e);
                  }
                })
            .stream()
            .map(List::getFirst)
            .toList();

    assertThat(outcomes.stream().filter(IpAddressValue.class::isInstance).distinct()).hasSize(5);
    assertThat(outcomes.stream().filter(PoolExhaustedException.class::isInstance)).hasSize(7);
    assertThat(pools.usage(range).allocated()).isEqualTo(BigInteger.valueOf(5));
    assertThat(pools.allocations(pool)).hasSize(5);
  }

  @Test
  void aFailedStatementHandsOutNothingAndChangesNothing() {
    PoolId pool = pools.createPool("batches:" + UUID.randomUUID(), IpPrefix.parse("10.33.0.0/24"));
    RangeId range = pools.addRange(pool, IpRange.parse("10.33.0.10-10.33.0.20"), "static");
    // Books that disagree: the lowest free value is already recorded as allocated.
    jdbc.update(
        "INSERT INTO ipam_allocation (pool_id, num, range_id, owner) VALUES (?, ?, ?, 'stray')",
        pool.value(),
        IpAddressValue.parse("10.33.0.10").value(),
        range.value());

    assertThatThrownBy(() -> pools.allocateNext(pool, range, "caller"))
        .isInstanceOf(DataIntegrityViolationException.class);

    assertThat(pools.usage(range).allocated()).isZero();
    assertThat(pools.allocations(pool)).extracting(Allocation::owner).containsExactly("stray");
    assertThat(batches.lanesInUse()).isZero();
  }

  @Test
  void aCallerInterruptedWhileWaitingStillGetsItsAddressAndKeepsTheInterrupt() throws Exception {
    PoolId pool = pools.createPool("batches:" + UUID.randomUUID(), IpPrefix.parse("10.36.0.0/24"));
    RangeId range = pools.addRange(pool, IpRange.parse("10.36.0.10-10.36.0.99"), "static");
    DataSource dataSource = jdbc.getDataSource();
    AtomicReference<IpAddressValue> got = new AtomicReference<>();
    AtomicBoolean stillInterrupted = new AtomicBoolean();
    try (Connection blocker = dataSource.getConnection()) {
      // Two shared statements in flight, both stuck on their insert: the next caller must queue.
      blocker.setAutoCommit(false);
      try (Statement lock = blocker.createStatement()) {
        lock.execute("LOCK TABLE ipam_allocation IN SHARE MODE");
      }
      List<Thread> leaders = new ArrayList<>();
      for (String owner : List.of("first", "second")) {
        leaders.add(Thread.ofPlatform().start(() -> pools.allocateNext(pool, range, owner)));
      }
      io.weft.ipam.PostgresSupport.awaitSessionsWaitingOnALock(jdbc, 2);
      Thread waiter =
          Thread.ofPlatform()
              .start(() -> {
                got.set(pools.allocateNext(pool, range, "interrupted"));
                stillInterrupted.set(Thread.currentThread().isInterrupted());
              });
      while (waiter.getState() != Thread.State.WAITING) {
        Thread.sleep(5);
      }

      waiter.interrupt();
      Thread.sleep(200);
      assertThat(waiter.isAlive()).as("an interrupt does not abandon a queued request").isTrue();
      blocker.rollback();
      waiter.join(30_000);
      for (Thread leader : leaders) {
        leader.join(30_000);
      }
    }

    assertThat(got.get()).isNotNull();
    assertThat(stillInterrupted).isTrue();
    assertThat(pools.ownerOf(pool, got.get())).contains("interrupted");
    assertThat(pools.allocations(pool)).hasSize(3);
  }

  /** A client's work, given its number. */
  private interface Client {
    List<Object> run(int client) throws Exception;
  }

  /** Runs {@code clients} clients at once and returns what each returned, by client number. */
  private static List<List<Object>> concurrently(int clients, Client work) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(clients);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<Object>>> results = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        Callable<List<Object>> task =
            () -> {
              start.await();
              return work.run(client);
            };
        results.add(threads.submit(task));
      }
      start.countDown();
      List<List<Object>> outcomes = new ArrayList<>();
      for (Future<List<Object>> result : results) {
        outcomes.add(result.get(120, TimeUnit.SECONDS));
      }
      return outcomes;
    } finally {
      threads.shutdownNow();
    }
  }
}
