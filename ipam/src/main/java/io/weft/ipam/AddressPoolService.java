package io.weft.ipam;

import java.util.List;
import java.util.Optional;

/**
 * Address pools: one prefix per pool (a VM subnet's CA space, a logical network's PA space), ranges
 * inside it (static, DHCP), next-free and explicit allocation.
 *
 * <p>Every mutating method joins the caller's transaction (propagation REQUIRED), so a failure
 * later in the caller's transaction undoes the allocation too. Without one, each call is atomic on
 * its own: {@link #allocateNext} is then a single auto-committed statement on PostgreSQL, which
 * concurrent callers of the same range share (each still gets its own committed address), the rest
 * run in a transaction of their own. Safe under concurrent callers and several processes on one
 * database: no value is ever handed out twice. Next-free never scans allocations; it takes the
 * lowest free interval of the range.
 */
public interface AddressPoolService {

  /**
   * Creates a pool for {@code prefix}. Pools of one {@code scope} (e.g. one VM network) must not
   * overlap: {@link IpamConflictException} otherwise. Different scopes may reuse the same prefix.
   */
  PoolId createPool(String scope, IpPrefix prefix);

  /**
   * Adds a range to a pool. It must lie within the pool's host addresses ({@link
   * IpamValidationException}) and not overlap another range of the pool ({@link
   * IpamConflictException}). Addresses already allocated inside it stay allocated.
   */
  RangeId addRange(PoolId pool, IpRange range, String purpose);

  /** Removes a range; refused with {@link IpamConflictException} while it holds allocations. */
  void removeRange(RangeId range);

  /**
   * The lowest free address of the range; {@link PoolExhaustedException} when none is left, which
   * leaves the caller's transaction usable (it may try another range).
   */
  IpAddressValue allocateNext(PoolId pool, RangeId range, String owner);

  /**
   * Allocates the given address, anywhere in the pool's host addresses: {@link
   * AddressInUseException} if taken, {@link IpamValidationException} if outside.
   */
  IpAddressValue allocate(PoolId pool, IpAddressValue address, String owner);

  /** Gives an address back; idempotent (releasing a free address does nothing). */
  void release(PoolId pool, IpAddressValue address);

  Optional<String> ownerOf(PoolId pool, IpAddressValue address);

  PoolUsage usage(PoolId pool);

  RangeUsage usage(RangeId range);

  /** Deletes the pool with its ranges and allocations. */
  void deletePool(PoolId pool);

  /** Every allocation of the pool, by address (for reconciliation). */
  List<Allocation> allocations(PoolId pool);
}
