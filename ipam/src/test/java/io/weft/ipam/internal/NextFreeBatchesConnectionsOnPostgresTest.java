package io.weft.ipam.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.ipam.AddressPoolService;
import io.weft.ipam.IpAddressValue;
import io.weft.ipam.IpPrefix;
import io.weft.ipam.IpRange;
import io.weft.ipam.IpamTestApplication;
import io.weft.ipam.PoolId;
import io.weft.ipam.RangeId;
import java.math.BigDecimal;
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

/**
 * Callers waiting for a shared next-free statement must not sit on database connections: with more
 * callers than connections, a caller that led one batch and waits for the next would otherwise keep
 * its connection while the next leader waits for one (until the pool's timeout).
 */
@EnabledIf("io.weft.ipam.PostgresSupport#available")
@SpringBootTest(classes = IpamTestApplication.class)
class NextFreeBatchesConnectionsOnPostgresTest {

  @Autowired AddressPoolService pools;
  @Autowired JdbcTemplate jdbc;

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    io.weft.ipam.PostgresSupport.register(registry);
    registry.add("spring.datasource.hikari.maximum-pool-size", () -> "3");
    registry.add("spring.datasource.hikari.connection-timeout", () -> "2000");
  }

  @Test
  void manyMoreCallersThanConnectionsOnAFragmentedRangeAllGetAnAddress() throws Exception {
    for (int round = 0; round < 5; round++) {
      callersOnAFragmentedRange(48);
    }
  }

  private void callersOnAFragmentedRange(int callers) throws Exception {
    PoolId pool = pools.createPool("batches:" + UUID.randomUUID(), IpPrefix.parse("10.34.0.0/24"));
    RangeId range = pools.addRange(pool, IpRange.parse("10.34.0.10-10.34.0.69"), "static");
    // As releases leave a range: one free interval per address, so each statement serves one
    // caller and the others queue again.
    jdbc.update("DELETE FROM ipam_free_interval WHERE range_id = ?", range.value());
    for (int last = 10; last <= 69; last++) {
      BigDecimal value = new BigDecimal(IpAddressValue.parse("10.34.0." + last).value());
      jdbc.update(
          "INSERT INTO ipam_free_interval (pool_id, range_id, first_value, next_value, last_value)"
              + " VALUES (?, ?, ?, ?, ?)",
          pool.value(),
          range.value(),
          value,
          value,
          value);
    }

    ExecutorService threads = Executors.newFixedThreadPool(callers);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<IpAddressValue>> results = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        String owner = "client-" + c;
        Callable<IpAddressValue> call =
            () -> {
              start.await();
              return pools.allocateNext(pool, range, owner);
            };
        results.add(threads.submit(call));
      }
      start.countDown();
      Set<IpAddressValue> got = new HashSet<>();
      for (Future<IpAddressValue> result : results) {
        got.add(result.get(60, TimeUnit.SECONDS));
      }
      assertThat(got).hasSize(callers);
      assertThat(pools.allocations(pool)).hasSize(callers);
    } finally {
      threads.shutdownNow();
    }
  }
}
