package io.weft.ipam.internal;

import io.weft.ipam.AddressInUseException;
import io.weft.ipam.AddressPoolService;
import io.weft.ipam.Allocation;
import io.weft.ipam.IpAddressValue;
import io.weft.ipam.IpFamily;
import io.weft.ipam.IpPrefix;
import io.weft.ipam.IpRange;
import io.weft.ipam.IpamConflictException;
import io.weft.ipam.IpamNotFoundException;
import io.weft.ipam.IpamValidationException;
import io.weft.ipam.PoolExhaustedException;
import io.weft.ipam.PoolId;
import io.weft.ipam.PoolUsage;
import io.weft.ipam.RangeId;
import io.weft.ipam.RangeUsage;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@link AddressPoolService} over JDBC. Locking: structural changes (ranges, explicit allocation,
 * pool deletion) lock the pool row; next-free locks only a free interval ({@link FreeIntervals});
 * release locks the allocation row. A range's free intervals reference the range, so removing a
 * range waits for releases in flight.
 */
@Service
class JdbcAddressPoolService implements AddressPoolService {

  static final int MAX_OWNER = 200;

  private final Pools pools;
  private final FreeIntervals free;
  private final Allocations allocations;
  private final Map<UUID, IpFamily> families = new ConcurrentHashMap<>();

  JdbcAddressPoolService(Pools pools, FreeIntervals free, Allocations allocations) {
    this.pools = pools;
    this.free = free;
    this.allocations = allocations;
  }

  @Override
  @Transactional
  public PoolId createPool(String scope, IpPrefix prefix) {
    String name = Pools.requireText(scope, "scope", 200);
    Objects.requireNonNull(prefix, "prefix");
    pools.lockScope(name);
    int family = familyCode(prefix.family());
    List<Pools.PoolRow> clash =
        pools.overlappingPools(name, family, prefix.first().value(), prefix.last().value());
    if (!clash.isEmpty()) {
      throw new IpamConflictException(
          prefix + " overlaps " + describe(clash.getFirst()) + " in the same scope", "cidr");
    }
    PoolId id = PoolId.random();
    pools.insertPool(
        new Pools.PoolRow(
            id.value(),
            "IP",
            name,
            family,
            prefix.length(),
            prefix.first().value(),
            prefix.last().value()));
    return id;
  }

  @Override
  @Transactional
  public RangeId addRange(PoolId poolId, IpRange range, String purpose) {
    Objects.requireNonNull(range, "range");
    String why = Pools.requireText(purpose, "purpose", 100);
    Pools.PoolRow pool = lockIpPool(poolId);
    IpPrefix prefix = prefixOf(pool);
    IpRange hosts = prefix.hosts();
    if (range.family() != prefix.family()) {
      throw new IpamValidationException(
          "range " + range + " is not of the same IP family as " + prefix, "start");
    }
    if (!hosts.contains(range)) {
      String field = hosts.contains(range.start()) ? "end" : "start";
      throw new IpamValidationException(
          "range " + range + " lies outside the host addresses " + hosts + " of " + prefix, field);
    }
    BigInteger first = range.start().value();
    BigInteger last = range.end().value();
    List<Pools.RangeRow> clash = pools.rangesMeeting(pool.id(), first, last);
    if (!clash.isEmpty()) {
      Pools.RangeRow other = clash.getFirst();
      throw new IpamConflictException(
          "range "
              + range
              + " overlaps the "
              + other.purpose()
              + " range "
              + toRange(prefix.family(), other),
          "start");
    }
    RangeId id = RangeId.random();
    pools.insertRange(new Pools.RangeRow(id.value(), pool.id(), first, last, why));
    List<BigInteger> taken = allocations.valuesBetween(pool.id(), first, last);
    if (!taken.isEmpty()) {
      allocations.assignRange(pool.id(), first, last, id.value());
    }
    free.seed(pool.id(), id.value(), first, last, taken);
    return id;
  }

  @Override
  @Transactional
  public void removeRange(RangeId rangeId) {
    Pools.RangeRow range = requireRange(rangeId);
    lockIpPool(new PoolId(range.pool()));
    long held = allocations.countInRange(range.id());
    if (held > 0) {
      throw new IpamConflictException(
          "the "
              + range.purpose()
              + " range still holds "
              + held
              + " allocated address"
              + (held == 1 ? "" : "es")
              + "; release them first",
          "range");
    }
    free.deleteRange(range.id());
    pools.deleteRange(range.id());
  }

  /**
   * Joins the caller's transaction if there is one; outside one, next-free is a single atomic
   * statement on PostgreSQL, shared with concurrent callers of the range ({@link NextFreeBatches}).
   *
   * <p>Not {@code @Transactional} on purpose. A transactional proxy, even with {@code SUPPORTS},
   * marks the caller's transaction rollback-only when this throws, so a caller could not catch
   * {@link PoolExhaustedException} and try its next range (the fabric's DHCP lease does). And
   * without a caller's transaction it would bind a connection to the whole call, held while the
   * call waits for a shared statement, starving the leader of that statement when callers outnumber
   * connections. Statements here join the caller's transaction by themselves; the portable path
   * opens one if there is none.
   */
  @Override
  public IpAddressValue allocateNext(PoolId poolId, RangeId rangeId, String owner) {
    String holder = Pools.requireText(owner, "owner", MAX_OWNER);
    Objects.requireNonNull(rangeId, "range");
    IpFamily family = family(poolId);
    BigInteger value = free.allocateLowest(poolId.value(), rangeId.value(), holder);
    if (value == null) {
      Pools.RangeRow range = requireRange(rangeId);
      Pools.PoolRow pool = requirePool(poolId);
      if (!range.pool().equals(pool.id())) {
        throw new IpamNotFoundException("range " + rangeId + " is not in pool " + poolId, "range");
      }
      throw new PoolExhaustedException(
          "no free address left in the "
              + range.purpose()
              + " range "
              + toRange(familyOf(pool), range)
              + " of "
              + prefixOf(pool),
          "range");
    }
    return IpAddressValue.of(family, value);
  }

  @Override
  @Transactional
  public IpAddressValue allocate(PoolId poolId, IpAddressValue address, String owner) {
    String holder = Pools.requireText(owner, "owner", MAX_OWNER);
    Objects.requireNonNull(address, "address");
    Pools.PoolRow pool = lockIpPool(poolId);
    IpPrefix prefix = prefixOf(pool);
    IpRange hosts = prefix.hosts();
    if (!hosts.contains(address)) {
      throw new IpamValidationException(
          address + " lies outside the host addresses " + hosts + " of " + prefix, "address");
    }
    BigInteger value = address.value();
    List<Pools.RangeRow> ranges = pools.rangesMeeting(pool.id(), value, value);
    UUID rangeId = ranges.isEmpty() ? null : ranges.getFirst().id();
    boolean wasFree = rangeId == null || free.take(pool.id(), rangeId, value);
    if (!wasFree || !allocations.insert(pool.id(), value, rangeId, holder)) {
      throw new AddressInUseException(address + " is already allocated in " + prefix, "address");
    }
    return address;
  }

  @Override
  @Transactional
  public void release(PoolId poolId, IpAddressValue address) {
    Objects.requireNonNull(address, "address");
    allocations
        .delete(poolId.value(), address.value())
        .flatMap(range -> range)
        .ifPresent(range -> free.giveBack(poolId.value(), range, address.value()));
  }

  @Override
  @Transactional(readOnly = true)
  public Optional<String> ownerOf(PoolId poolId, IpAddressValue address) {
    return allocations.owner(poolId.value(), address.value());
  }

  @Override
  @Transactional(readOnly = true)
  public PoolUsage usage(PoolId poolId) {
    Pools.PoolRow pool = requirePool(poolId);
    return PoolUsage.of(prefixOf(pool).hosts().size(), allocations.count(pool.id()));
  }

  @Override
  @Transactional(readOnly = true)
  public RangeUsage usage(RangeId rangeId) {
    Pools.RangeRow range = requireRange(rangeId);
    BigInteger size = range.last().subtract(range.first()).add(BigInteger.ONE);
    return RangeUsage.of(rangeId, size, size.subtract(free.freeCount(range.id())));
  }

  @Override
  @Transactional
  public void deletePool(PoolId poolId) {
    lockIpPool(poolId);
    free.deletePool(poolId.value());
    allocations.deletePool(poolId.value());
    pools.deletePool(poolId.value());
  }

  @Override
  @Transactional(readOnly = true)
  public List<Allocation> allocations(PoolId poolId) {
    Pools.PoolRow pool = requirePool(poolId);
    IpFamily family = familyOf(pool);
    return allocations.list(pool.id()).stream()
        .map(row ->
            new Allocation(
                poolId,
                IpAddressValue.of(family, row.value()),
                row.range() == null ? null : new RangeId(row.range()),
                row.owner(),
                row.allocatedAt() == null ? null : row.allocatedAt().toInstant()))
        .toList();
  }

  /** The pool's family; cached, since a pool never changes family (saves a query per call). */
  private IpFamily family(PoolId poolId) {
    IpFamily known = families.get(poolId.value());
    if (known == null) {
      known = familyOf(requirePool(poolId));
      if (families.size() > 100_000) {
        families.clear();
      }
      families.put(poolId.value(), known);
    }
    return known;
  }

  private Pools.PoolRow lockIpPool(PoolId poolId) {
    Objects.requireNonNull(poolId, "pool");
    Pools.PoolRow pool =
        pools
            .lockPool(poolId.value())
            .orElseThrow(() -> new IpamNotFoundException("no pool " + poolId, "pool"));
    requireIp(pool, poolId);
    return pool;
  }

  private Pools.PoolRow requirePool(PoolId poolId) {
    Objects.requireNonNull(poolId, "pool");
    Pools.PoolRow pool =
        pools
            .pool(poolId.value())
            .orElseThrow(() -> new IpamNotFoundException("no pool " + poolId, "pool"));
    requireIp(pool, poolId);
    return pool;
  }

  private static void requireIp(Pools.PoolRow pool, PoolId poolId) {
    if (!"IP".equals(pool.kind())) {
      throw new IpamNotFoundException("no address pool " + poolId, "pool");
    }
  }

  private Pools.RangeRow requireRange(RangeId rangeId) {
    Objects.requireNonNull(rangeId, "range");
    return pools
        .range(rangeId.value())
        .orElseThrow(() -> new IpamNotFoundException("no range " + rangeId, "range"));
  }

  static int familyCode(IpFamily family) {
    return family == IpFamily.V4 ? 4 : 6;
  }

  static IpFamily familyOf(Pools.PoolRow pool) {
    return pool.family() == 4 ? IpFamily.V4 : IpFamily.V6;
  }

  static IpPrefix prefixOf(Pools.PoolRow pool) {
    return new IpPrefix(IpAddressValue.of(familyOf(pool), pool.first()), pool.prefixLength());
  }

  private static IpRange toRange(IpFamily family, Pools.RangeRow range) {
    return new IpRange(
        IpAddressValue.of(family, range.first()), IpAddressValue.of(family, range.last()));
  }

  private static String describe(Pools.PoolRow pool) {
    return "pool " + prefixOf(pool) + " (" + pool.id() + ")";
  }
}
