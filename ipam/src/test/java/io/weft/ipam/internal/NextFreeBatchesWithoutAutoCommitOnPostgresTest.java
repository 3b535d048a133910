package io.weft.ipam.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.ipam.AddressPoolService;
import io.weft.ipam.IpAddressValue;
import io.weft.ipam.IpPrefix;
import io.weft.ipam.IpamTestApplication;
import io.weft.ipam.PoolId;
import io.weft.ipam.RangeId;
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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Shared next-free statements run on connections of their own. If the pool hands those out without
 * auto-commit, an address a caller was given must still be committed, not rolled back when the
 * connection goes back to the pool.
 */
@EnabledIf("io.weft.ipam.PostgresSupport#available")
@SpringBootTest(classes = IpamTestApplication.class)
class NextFreeBatchesWithoutAutoCommitOnPostgresTest {

  @Autowired AddressPoolService pools;

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    io.weft.ipam.PostgresSupport.register(registry);
    registry.add("spring.datasource.hikari.auto-commit", () -> "false");
  }

  @Test
  void addressesHandedOutAreCommitted() throws Exception {
    IpPrefix prefix = IpPrefix.parse("10.35.0.0/16");
    PoolId pool = pools.createPool("batches:" + UUID.randomUUID(), prefix);
    RangeId range = pools.addRange(pool, prefix.hosts(), "static");

    ExecutorService threads = Executors.newFixedThreadPool(8);
    Set<IpAddressValue> handedOut = new HashSet<>();
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<IpAddressValue>>> results = new ArrayList<>();
      for (int c = 0; c < 8; c++) {
        String owner = "client-" + c;
        Callable<List<IpAddressValue>> work =
            () -> {
              start.await();
              List<IpAddressValue> got = new ArrayList<>();
              for (int i = 0; i < 50; i++) {
                got.add(pools.allocateNext(pool, range, owner));
              }
              return got;
            };
        results.add(threads.submit(work));
      }
      start.countDown();
      for (Future<List<IpAddressValue>> result : results) {
        handedOut.addAll(result.get(60, TimeUnit.SECONDS));
      }
    } finally {
      threads.shutdownNow();
    }

    assertThat(handedOut).hasSize(400);
    assertThat(pools.allocations(pool))
        .extracting(allocation -> allocation.address())
        .containsExactlyInAnyOrderElementsOf(handedOut);
  }
}
