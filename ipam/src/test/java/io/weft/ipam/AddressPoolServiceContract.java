package io.weft.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.testkit.SeededRandom;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/** What every database must do for {@link AddressPoolService}; subclasses pick the database. */
abstract class AddressPoolServiceContract {

  @Autowired AddressPoolService pools;
  @Autowired TransactionTemplate tx;

  static String scope() {
    return "test:" + UUID.randomUUID();
  }

  static IpAddressValue ip(String text) {
    return IpAddressValue.parse(text);
  }

  @Test
  void nextFreeHandsOutTheLowestAddressesInOrder() {
    PoolId pool = pools.createPool(scope(), IpPrefix.parse("10.0.0.0/24"));
    RangeId range = pools.addRange(pool, IpRange.parse("10.0.0.10-10.0.0.20"), "static");
    assertThat(pools.allocateNext(pool, range, "vm-a")).isEqualTo(ip("10.0.0.10"));
    assertThat(pools.allocateNext(pool, range, "vm-b")).isEqualTo(ip("10.0.0.11"));
    assertThat(pools.ownerOf(pool, ip("10.0.0.11"))).contains("vm-b");
    assertThat(pools.ownerOf(pool, ip("10.0.0.12"))).isEmpty();
  }

  @Test
  void explicitAllocationInsideAndOutsideRanges() {
    IpPrefix prefix = IpPrefix.parse("10.1.0.0/24");
    PoolId pool = pools.createPool(scope(), prefix);
    RangeId range = pools.addRange(pool, IpRange.parse("10.1.0.10-10.1.0.12"), "static");
    assertThat(pools.allocate(pool, prefix.firstHost(), "gateway")).isEqualTo(ip("10.1.0.1"));
    pools.allocate(pool, ip("10.1.0.11"), "vm-a");
    assertThat(pools.allocateNext(pool, range, "vm-b")).isEqualTo(ip("10.1.0.10"));
    assertThat(pools.allocateNext(pool, range, "vm-c")).isEqualTo(ip("10.1.0.12"));
    assertThatThrownBy(() -> pools.allocate(pool, ip("10.1.0.11"), "vm-d"))
        .isInstanceOf(AddressInUseException.class)
        .hasMessage("10.1.0.11 is already allocated in 10.1.0.0/24");
    assertThatThrownBy(() -> pools.allocate(pool, ip("10.1.0.1"), "vm-d"))
        .isInstanceOf(AddressInUseException.class);
    assertThatThrownBy(() -> pools.allocate(pool, ip("10.1.1.1"), "vm-d"))
        .isInstanceOf(IpamValidationException.class)
        .hasMessageContaining("outside the host addresses 10.1.0.1-10.1.0.254");
    assertThatThrownBy(() -> pools.allocate(pool, ip("10.1.0.255"), "vm-d"))
        .isInstanceOf(IpamValidationException.class);
    assertThatThrownBy(() -> pools.allocate(pool, ip("2001:db8::1"), "vm-d"))
        .isInstanceOf(IpamValidationException.class);
    assertThat(pools.ownerOf(pool, ip("10.1.0.1"))).contains("gateway");
  }

  @Test
  void releaseAndReuse() {
    PoolId pool = pools.createPool(scope(), IpPrefix.parse("10.2.0.0/24"));
    RangeId range = pools.addRange(pool, IpRange.parse("10.2.0.100-10.2.0.199"), "dhcp");
    IpAddressValue first = pools.allocateNext(pool, range, "vm-a");
    pools.allocateNext(pool, range, "vm-b");
    pools.release(pool, first);
    pools.release(pool, first); // idempotent
    assertThat(pools.ownerOf(pool, first)).isEmpty();
    assertThat(pools.allocateNext(pool, range, "vm-c")).isEqualTo(first);
    assertThat(pools.ownerOf(pool, first)).contains("vm-c");
    // An explicitly allocated address outside every range can be released and taken again.
    pools.allocate(pool, ip("10.2.0.5"), "vm-d");
    pools.release(pool, ip("10.2.0.5"));
    pools.allocate(pool, ip("10.2.0.5"), "vm-e");
  }

  /**
   * Next-free advances a span's next value without moving its key; releases inside the part a span
   * has handed out split it. Whatever the order of releases and explicit takes, next-free stays
   * lowest-first, explicit allocation finds free values, and the counts add up.
   */
  @Test
  void releasesInsideHandedOutAddressesKeepNextFreeLowestFirst() {
    PoolId pool = pools.createPool(scope(), IpPrefix.parse("10.4.0.0/24"));
    RangeId range = pools.addRange(pool, IpRange.parse("10.4.0.1-10.4.0.20"), "dhcp");
    for (int i = 1; i <= 10; i++) {
      assertThat(pools.allocateNext(pool, range, "vm-" + i)).isEqualTo(ip("10.4.0." + i));
    }
    pools.release(pool, ip("10.4.0.7"));
    pools.release(pool, ip("10.4.0.3"));
    pools.release(pool, ip("10.4.0.5"));
    assertThat(pools.usage(range).allocated().intValueExact()).isEqualTo(7);
    assertThatThrownBy(() -> pools.allocate(pool, ip("10.4.0.4"), "taken"))
        .isInstanceOf(AddressInUseException.class);
    assertThat(pools.allocate(pool, ip("10.4.0.5"), "explicit")).isEqualTo(ip("10.4.0.5"));
    assertThat(pools.allocate(pool, ip("10.4.0.15"), "explicit")).isEqualTo(ip("10.4.0.15"));
    assertThat(pools.allocateNext(pool, range, "a")).isEqualTo(ip("10.4.0.3"));
    assertThat(pools.allocateNext(pool, range, "b")).isEqualTo(ip("10.4.0.7"));
    assertThat(pools.allocateNext(pool, range, "c")).isEqualTo(ip("10.4.0.11"));
    pools.release(pool, ip("10.4.0.2"));
    pools.release(pool, ip("10.4.0.1"));
    assertThat(pools.allocateNext(pool, range, "d")).isEqualTo(ip("10.4.0.1"));
    assertThat(pools.allocateNext(pool, range, "e")).isEqualTo(ip("10.4.0.2"));
    assertThat(pools.allocateNext(pool, range, "f")).isEqualTo(ip("10.4.0.12"));
    assertThat(pools.usage(range).allocated().intValueExact()).isEqualTo(13);
    assertThat(pools.allocateNext(pool, range, "g")).isEqualTo(ip("10.4.0.13"));
    assertThat(pools.allocateNext(pool, range, "h")).isEqualTo(ip("10.4.0.14"));
    for (int i = 16; i <= 20; i++) {
      assertThat(pools.allocateNext(pool, range, "fill-" + i)).isEqualTo(ip("10.4.0." + i));
    }
    assertThat(pools.usage(range).allocated().intValueExact()).isEqualTo(20);
    assertThatThrownBy(() -> pools.allocateNext(pool, range, "none left"))
        .isInstanceOf(PoolExhaustedException.class);
  }

  @Test
  void exhaustionIsACleanErrorAndReleaseCuresIt() {
    PoolId pool = pools.createPool(scope(), IpPrefix.parse("10.3.0.0/24"));
    RangeId range = pools.addRange(pool, IpRange.parse("10.3.0.1-10.3.0.3"), "static");
    List<IpAddressValue> got = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      got.add(pools.allocateNext(pool, range, "vm-" + i));
    }
    assertThatThrownBy(() -> pools.allocateNext(pool, range, "vm-x"))
        .isInstanceOf(PoolExhaustedException.class)
        .hasMessage("no free address left in the static range 10.3.0.1-10.3.0.3 of 10.3.0.0/24")
        .satisfies(e -> assertThat(((IpamException) e).field()).contains("range"));
    pools.release(pool, got.get(1));
    assertThat(pools.allocateNext(pool, range, "vm-y")).isEqualTo(got.get(1));
    RangeUsage usage = pools.usage(range);
    assertThat(usage.size()).isEqualTo(BigInteger.valueOf(3));
    assertThat(usage.allocated()).isEqualTo(BigInteger.valueOf(3));
    assertThat(usage.free()).isZero();
    assertThat(usage.percent()).isEqualTo(100.0);
  }

  @Test
  void rangesMustLieInsideTheHostsAndNotOverlap() {
    PoolId pool = pools.createPool(scope(), IpPrefix.parse("10.4.0.0/24"));
    pools.addRange(pool, IpRange.parse("10.4.0.100-10.4.0.199"), "dhcp");
    assertThatThrownBy(() -> pools.addRange(pool, IpRange.parse("10.4.0.200-10.4.1.5"), "x"))
        .isInstanceOf(IpamValidationException.class)
        .hasMessage(
            "range 10.4.0.200-10.4.1.5 lies outside the host addresses 10.4.0.1-10.4.0.254"
                + " of 10.4.0.0/24")
        .satisfies(e -> assertThat(((IpamException) e).field()).contains("end"));
    assertThatThrownBy(() -> pools.addRange(pool, IpRange.parse("10.4.0.0-10.4.0.5"), "x"))
        .isInstanceOf(IpamValidationException.class)
        .satisfies(e -> assertThat(((IpamException) e).field()).contains("start"));
    assertThatThrownBy(() -> pools.addRange(pool, IpRange.parse("10.4.0.50-10.4.0.100"), "static"))
        .isInstanceOf(IpamConflictException.class)
        .hasMessage("range 10.4.0.50-10.4.0.100 overlaps the dhcp range 10.4.0.100-10.4.0.199");
    assertThatThrownBy(() -> pools.addRange(pool, IpRange.parse("2001:db8::1-2001:db8::2"), "x"))
        .isInstanceOf(IpamValidationException.class);
    assertThatThrownBy(() -> pools.addRange(pool, IpRange.parse("10.4.0.1-10.4.0.2"), " "))
        .isInstanceOf(IpamValidationException.class)
        .hasMessage("purpose must not be empty");
    // Adjacent is fine.
    pools.addRange(pool, IpRange.parse("10.4.0.200-10.4.0.254"), "static");
  }

  @Test
  void removeRangeIsRefusedWhileItHoldsAllocations() {
    PoolId pool = pools.createPool(scope(), IpPrefix.parse("10.5.0.0/24"));
    RangeId range = pools.addRange(pool, IpRange.parse("10.5.0.10-10.5.0.20"), "static");
    IpAddressValue a = pools.allocateNext(pool, range, "vm-a");
    assertThatThrownBy(() -> pools.removeRange(range))
        .isInstanceOf(IpamConflictException.class)
        .hasMessage("the static range still holds 1 allocated address; release them first");
    pools.release(pool, a);
    pools.removeRange(range);
    assertThatThrownBy(() -> pools.usage(range)).isInstanceOf(IpamNotFoundException.class);
    assertThatThrownBy(() -> pools.allocateNext(pool, range, "vm-b"))
        .isInstanceOf(IpamNotFoundException.class);
    // The space can be reused by a new range.
    RangeId again = pools.addRange(pool, IpRange.parse("10.5.0.10-10.5.0.30"), "static");
    assertThat(pools.allocateNext(pool, again, "vm-c")).isEqualTo(ip("10.5.0.10"));
  }

  @Test
  void aNewRangeKeepsAddressesAllocatedBeforeIt() {
    PoolId pool = pools.createPool(scope(), IpPrefix.parse("10.6.0.0/24"));
    pools.allocate(pool, ip("10.6.0.50"), "reserved");
    RangeId range = pools.addRange(pool, IpRange.parse("10.6.0.49-10.6.0.51"), "static");
    assertThat(pools.allocateNext(pool, range, "a")).isEqualTo(ip("10.6.0.49"));
    assertThat(pools.allocateNext(pool, range, "b")).isEqualTo(ip("10.6.0.51"));
    assertThatThrownBy(() -> pools.allocateNext(pool, range, "c"))
        .isInstanceOf(PoolExhaustedException.class);
    assertThatThrownBy(() -> pools.removeRange(range)).isInstanceOf(IpamConflictException.class);
    assertThat(pools.allocations(pool))
        .extracting(Allocation::address, Allocation::owner)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ip("10.6.0.49"), "a"),
            org.assertj.core.groups.Tuple.tuple(ip("10.6.0.50"), "reserved"),
            org.assertj.core.groups.Tuple.tuple(ip("10.6.0.51"), "b"));
    assertThat(pools.allocations(pool)).allSatisfy(a -> assertThat(a.range()).isEqualTo(range));
  }

  @Test
  void poolsOfOneScopeMustNotOverlapButScopesAreIndependent() {
    String scope = scope();
    pools.createPool(scope, IpPrefix.parse("10.0.0.0/16"));
    assertThatThrownBy(() -> pools.createPool(scope, IpPrefix.parse("10.0.4.0/24")))
        .isInstanceOf(IpamConflictException.class)
        .hasMessageStartingWith("10.0.4.0/24 overlaps pool 10.0.0.0/16");
    assertThatThrownBy(() -> pools.createPool(scope, IpPrefix.parse("10.0.0.0/8")))
        .isInstanceOf(IpamConflictException.class);
    pools.createPool(scope, IpPrefix.parse("10.1.0.0/16"));
    pools.createPool(scope, IpPrefix.parse("fd00::/64"));
    PoolId twin = pools.createPool(scope(), IpPrefix.parse("10.0.0.0/16"));
    assertThat(pools.usage(twin).size()).isEqualTo(BigInteger.valueOf(65_534));
  }

  @Test
  void usageCountsAllocationsAgainstHostAddresses() {
    PoolId pool = pools.createPool(scope(), IpPrefix.parse("10.7.0.0/24"));
    RangeId range = pools.addRange(pool, IpRange.parse("10.7.0.10-10.7.0.19"), "static");
    pools.allocate(pool, ip("10.7.0.1"), "gateway");
    pools.allocateNext(pool, range, "a");
    PoolUsage usage = pools.usage(pool);
    assertThat(usage.size()).isEqualTo(BigInteger.valueOf(254));
    assertThat(usage.allocated()).isEqualTo(BigInteger.TWO);
    assertThat(usage.free()).isEqualTo(BigInteger.valueOf(252));
    RangeUsage ranged = pools.usage(range);
    assertThat(ranged.allocated()).isEqualTo(BigInteger.ONE);
    assertThat(ranged.percent()).isEqualTo(10.0);
  }

  @Test
  void deletePoolDropsRangesAndAllocations() {
    PoolId pool = pools.createPool(scope(), IpPrefix.parse("10.8.0.0/24"));
    RangeId range = pools.addRange(pool, IpRange.parse("10.8.0.10-10.8.0.19"), "static");
    pools.allocateNext(pool, range, "a");
    pools.deletePool(pool);
    assertThatThrownBy(() -> pools.usage(pool)).isInstanceOf(IpamNotFoundException.class);
    assertThatThrownBy(() -> pools.usage(range)).isInstanceOf(IpamNotFoundException.class);
    assertThatThrownBy(() -> pools.allocate(pool, ip("10.8.0.5"), "a"))
        .isInstanceOf(IpamNotFoundException.class);
    assertThatThrownBy(() -> pools.allocateNext(pool, range, "a"))
        .isInstanceOf(IpamNotFoundException.class);
  }

  @Test
  void aRangeOfAnotherPoolIsUnknown() {
    PoolId one = pools.createPool(scope(), IpPrefix.parse("10.9.0.0/24"));
    PoolId two = pools.createPool(scope(), IpPrefix.parse("10.9.0.0/24"));
    RangeId range = pools.addRange(two, IpRange.parse("10.9.0.10-10.9.0.19"), "static");
    assertThatThrownBy(() -> pools.allocateNext(one, range, "a"))
        .isInstanceOf(IpamNotFoundException.class);
    assertThatThrownBy(() -> pools.allocateNext(PoolId.random(), range, "a"))
        .isInstanceOf(IpamNotFoundException.class);
    assertThatThrownBy(() -> pools.allocateNext(two, range, " "))
        .isInstanceOf(IpamValidationException.class)
        .hasMessage("owner must not be empty");
  }

  @Test
  void ipv6SparseSlash64() {
    IpPrefix prefix = IpPrefix.parse("2001:db8:0:1::/64");
    PoolId pool = pools.createPool(scope(), prefix);
    RangeId range = pools.addRange(pool, prefix.hosts(), "dhcp");
    assertThat(pools.allocateNext(pool, range, "a")).isEqualTo(ip("2001:db8:0:1::1"));
    IpAddressValue far = ip("2001:db8:0:1:ffff:ffff:ffff:fffe");
    pools.allocate(pool, far, "b");
    assertThatThrownBy(() -> pools.allocate(pool, far, "c"))
        .isInstanceOf(AddressInUseException.class);
    assertThat(pools.allocateNext(pool, range, "c")).isEqualTo(ip("2001:db8:0:1::2"));
    RangeUsage usage = pools.usage(range);
    assertThat(usage.size()).isEqualTo(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
    assertThat(usage.allocated()).isEqualTo(BigInteger.valueOf(3));
    pools.release(pool, far);
    pools.allocate(pool, far, "d");
  }

  @Test
  void nothingIsHalfWrittenWhenTheCallersTransactionFails() {
    PoolId pool = pools.createPool(scope(), IpPrefix.parse("10.10.0.0/24"));
    RangeId range = pools.addRange(pool, IpRange.parse("10.10.0.10-10.10.0.19"), "static");
    assertThatThrownBy(() ->
            tx.executeWithoutResult(status -> {
              pools.allocateNext(pool, range, "a");
              pools.allocate(pool, ip("10.10.0.5"), "a");
              throw new IllegalStateException("the fabric's own write failed");
            }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(pools.allocations(pool)).isEmpty();
    assertThat(pools.usage(range).allocated()).isZero();
    // An IPAM error inside the caller's transaction rolls back what came before it, too.
    pools.allocate(pool, ip("10.10.0.6"), "x");
    assertThatThrownBy(() ->
            tx.executeWithoutResult(status -> {
              pools.allocateNext(pool, range, "a");
              pools.allocate(pool, ip("10.10.0.6"), "a");
            }))
        .isInstanceOf(AddressInUseException.class);
    assertThat(pools.allocations(pool)).extracting(Allocation::owner).containsExactly("x");
    assertThat(pools.allocateNext(pool, range, "b")).isEqualTo(ip("10.10.0.10"));
    // A range that fails validation leaves no row behind.
    assertThatThrownBy(() -> pools.addRange(pool, IpRange.parse("10.10.0.15-10.10.0.30"), "x"))
        .isInstanceOf(IpamConflictException.class);
    assertThat(pools.usage(range).size()).isEqualTo(BigInteger.TEN);
  }

  @Test
  void anExhaustedRangeLeavesTheCallersTransactionUsable() {
    PoolId pool = pools.createPool(scope(), IpPrefix.parse("10.11.0.0/24"));
    RangeId first = pools.addRange(pool, IpRange.parse("10.11.0.10-10.11.0.10"), "dhcp");
    RangeId second = pools.addRange(pool, IpRange.parse("10.11.0.20-10.11.0.29"), "dhcp");
    pools.allocateNext(pool, first, "earlier");

    // As the fabric's DHCP lease does: try the subnet's ranges in turn, in one transaction.
    IpAddressValue got =
        tx.execute(status -> {
          try {
            pools.allocateNext(pool, first, "a");
            throw new AssertionError("the first range is full");
          } catch (PoolExhaustedException full) {
            return pools.allocateNext(pool, second, "a");
          }
        });

    assertThat(got).isEqualTo(ip("10.11.0.20"));
    assertThat(pools.ownerOf(pool, got)).contains("a");
  }

  @Test
  void randomOperationsAgreeWithASimpleModel() {
    Random random = SeededRandom.create(getClass().getSimpleName() + ".randomOperations");
    PoolId pool = pools.createPool(scope(), IpPrefix.parse("10.11.0.0/23"));
    // Large enough to be pre-split into several chunks.
    RangeId range = pools.addRange(pool, IpRange.parse("10.11.0.1-10.11.1.254"), "static");
    long first = ip("10.11.0.1").value().longValueExact();
    long last = ip("10.11.1.254").value().longValueExact();
    TreeSet<Long> taken = new TreeSet<>();
    for (int step = 0; step < 400; step++) {
      int op = random.nextInt(10);
      if (op < 5) {
        Long expected = null;
        for (long v = first; v <= last; v++) {
          if (!taken.contains(v)) {
            expected = v;
            break;
          }
        }
        if (expected == null) {
          assertThatThrownBy(() -> pools.allocateNext(pool, range, "r"))
              .isInstanceOf(PoolExhaustedException.class);
        } else {
          assertThat(pools.allocateNext(pool, range, "r").value().longValueExact())
              .as("step %d", step)
              .isEqualTo(expected);
          taken.add(expected);
        }
      } else if (op < 8) {
        long v = first + random.nextInt((int) (last - first + 1));
        IpAddressValue address = IpAddressValue.of(IpFamily.V4, BigInteger.valueOf(v));
        if (taken.contains(v)) {
          assertThatThrownBy(() -> pools.allocate(pool, address, "r"))
              .isInstanceOf(AddressInUseException.class);
        } else {
          pools.allocate(pool, address, "r");
          taken.add(v);
        }
      } else if (!taken.isEmpty()) {
        Long above = taken.ceiling(first + random.nextInt((int) (last - first + 1)));
        long v = above == null ? taken.first() : above;
        pools.release(pool, IpAddressValue.of(IpFamily.V4, BigInteger.valueOf(v)));
        taken.remove(v);
      }
    }
    assertThat(pools.usage(range).allocated()).isEqualTo(BigInteger.valueOf(taken.size()));
    assertThat(pools.allocations(pool))
        .extracting(a -> a.address().value().longValueExact())
        .containsExactlyElementsOf(taken);
  }
}
