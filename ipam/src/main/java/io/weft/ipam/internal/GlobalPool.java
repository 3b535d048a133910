package io.weft.ipam.internal;

import io.weft.ipam.AddressInUseException;
import io.weft.ipam.PoolExhaustedException;
import io.weft.ipam.PoolUsage;
import java.math.BigInteger;
import java.util.Optional;
import java.util.UUID;

/**
 * One of the cloud-wide pools (VSIDs, MACs): a single range over the same free-interval and
 * allocation tables as address pools, so it shares their concurrency guarantees.
 */
final class GlobalPool {

  private final UUID pool;
  private final UUID range;
  private final String noun;
  private final String field;
  private final BigInteger size;
  private final Pools pools;
  private final FreeIntervals free;
  private final Allocations allocations;

  GlobalPool(
      UUID pool,
      UUID range,
      String noun,
      String field,
      long first,
      long last,
      Pools pools,
      FreeIntervals free,
      Allocations allocations) {
    this.pool = pool;
    this.range = range;
    this.noun = noun;
    this.field = field;
    this.size = BigInteger.valueOf(last - first + 1);
    this.pools = pools;
    this.free = free;
    this.allocations = allocations;
  }

  long next(String owner, String exhausted) {
    String holder = Pools.requireText(owner, "owner", JdbcAddressPoolService.MAX_OWNER);
    BigInteger value = free.allocateLowest(pool, range, holder);
    if (value == null) {
      throw new PoolExhaustedException(exhausted, field);
    }
    return value.longValueExact();
  }

  void take(long value, String shown, String owner) {
    String holder = Pools.requireText(owner, "owner", JdbcAddressPoolService.MAX_OWNER);
    pools.lockPool(pool);
    BigInteger number = BigInteger.valueOf(value);
    if (!free.take(pool, range, number) || !allocations.insert(pool, number, range, holder)) {
      throw new AddressInUseException(noun + " " + shown + " is already allocated", field);
    }
  }

  void release(long value) {
    BigInteger number = BigInteger.valueOf(value);
    allocations
        .delete(pool, number)
        .flatMap(from -> from)
        .ifPresent(from -> free.giveBack(pool, from, number));
  }

  Optional<String> owner(long value) {
    return allocations.owner(pool, BigInteger.valueOf(value));
  }

  PoolUsage usage() {
    return PoolUsage.of(size, size.subtract(free.freeCount(range)));
  }
}
