package io.weft.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The cloud-wide VSID and MAC pools. The database may be shared with other tests, so assertions are
 * relative to what the test itself allocated.
 */
abstract class GlobalPoolsContract {

  @Autowired VsidPoolService vsids;
  @Autowired MacPoolService macs;
  @Autowired TransactionTemplate tx;
  @Autowired JdbcTemplate jdbc;

  @Test
  void vsidsAreDistinctInBoundsAndReusable() {
    Set<Vsid> got = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      Vsid vsid = vsids.allocateVsid("subnet-" + i);
      assertThat(vsid.value()).isBetween(Vsid.MIN, Vsid.MAX);
      assertThat(got.add(vsid)).isTrue();
    }
    Vsid some = got.iterator().next();
    assertThat(vsids.ownerOf(some)).isPresent();
    vsids.releaseVsid(some);
    vsids.releaseVsid(some); // idempotent
    assertThat(vsids.ownerOf(some)).isEmpty();
    vsids.allocateVsid(some, "again");
    assertThat(vsids.ownerOf(some)).contains("again");
    assertThatThrownBy(() -> vsids.allocateVsid(some, "twice"))
        .isInstanceOf(AddressInUseException.class)
        .hasMessage("VSID " + some + " is already allocated")
        .satisfies(e -> assertThat(((IpamException) e).field()).contains("vsid"));
    assertThat(vsids.usage().size()).isEqualTo(BigInteger.valueOf(Vsid.MAX - Vsid.MIN + 1));
    assertThat(vsids.usage().allocated()).isGreaterThanOrEqualTo(BigInteger.valueOf(50));
  }

  @Test
  void explicitVsidsAtTheBoundsWork() {
    vsids.allocateVsid(new Vsid(Vsid.MAX), "top");
    assertThat(vsids.ownerOf(new Vsid(Vsid.MAX))).contains("top");
    vsids.releaseVsid(new Vsid(Vsid.MAX));
  }

  /**
   * Exhaustion with a test-only small window: inside one transaction that is rolled back at the
   * end, the free space is cut down to the last VSID, so the pool runs dry after one allocation.
   */
  @Test
  void vsidExhaustionIsAClearError() {
    tx.executeWithoutResult(status -> {
      jdbc.update(
          "DELETE FROM ipam_free_interval WHERE range_id = '00000000-0000-4000-8000-0000000a0002'");
      jdbc.update(
          "INSERT INTO ipam_free_interval (pool_id, range_id, first_value, next_value,"
              + " last_value) VALUES ('00000000-0000-4000-8000-0000000a0001',"
              + " '00000000-0000-4000-8000-0000000a0002', ?, ?, ?)",
          Vsid.MAX,
          Vsid.MAX,
          Vsid.MAX);
      assertThat(vsids.allocateVsid("last")).isEqualTo(new Vsid(Vsid.MAX));
      assertThat(vsids.usage().free()).isZero();
      assertThatThrownBy(() -> vsids.allocateVsid("one too many"))
          .isInstanceOf(PoolExhaustedException.class)
          .hasMessage("all VSIDs (4096..16777214) are allocated; release unused VM subnets first")
          .satisfies(e -> assertThat(((IpamException) e).field()).contains("vsid"));
      status.setRollbackOnly();
    });
    assertThat(vsids.usage().free()).isPositive();
  }

  @Test
  void macsAreUniqueLocallyAdministeredAndInWeftsBlock() {
    Set<MacAddress> got = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      MacAddress mac = macs.allocateMac("nic-" + i);
      assertThat(mac.isLocallyAdministered()).isTrue();
      assertThat(mac.isMulticast()).isFalse();
      assertThat(mac.toString()).startsWith("02:57:46:");
      assertThat(got.add(mac)).isTrue();
    }
    MacAddress some = got.iterator().next();
    assertThatThrownBy(() -> macs.allocateMac(some, "dup"))
        .isInstanceOf(AddressInUseException.class);
    macs.releaseMac(some);
    macs.allocateMac(some, "imported");
    assertThat(macs.ownerOf(some)).contains("imported");
    assertThatThrownBy(() -> macs.allocateMac(MacAddress.parse("00:15:5d:00:00:01"), "x"))
        .isInstanceOf(IpamValidationException.class)
        .hasMessageContaining("outside Weft's MAC block");
    assertThat(macs.usage().allocated()).isGreaterThanOrEqualTo(BigInteger.valueOf(100));
  }

  @Test
  void concurrentVsidAndMacAllocationsNeverCollide() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Object>>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(
            threads.submit(() -> {
              List<Object> got = new ArrayList<>();
              for (int i = 0; i < 50; i++) {
                got.add(vsids.allocateVsid("c"));
                got.add(macs.allocateMac("c"));
              }
              return got;
            }));
      }
      Set<Object> distinct = new HashSet<>();
      int total = 0;
      for (Future<List<Object>> result : results) {
        List<Object> got = result.get(60, TimeUnit.SECONDS);
        total += got.size();
        distinct.addAll(got);
      }
      assertThat(distinct).hasSize(total);
    } finally {
      threads.shutdownNow();
    }
  }
}
