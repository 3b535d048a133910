package io.weft.ipam.internal;

import io.weft.ipam.IpamValidationException;
import io.weft.ipam.MacAddress;
import io.weft.ipam.MacPoolService;
import io.weft.ipam.PoolUsage;
import java.util.Objects;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** {@link MacPoolService} over the shared pool tables. */
@Service
@Transactional
class JdbcMacPoolService implements MacPoolService {

  private final GlobalPool macs;

  JdbcMacPoolService(Pools pools, FreeIntervals free, Allocations allocations) {
    this.macs =
        new GlobalPool(
            WellKnownPools.MAC_POOL,
            WellKnownPools.MAC_RANGE,
            "MAC",
            "mac",
            FIRST.value(),
            LAST.value(),
            pools,
            free,
            allocations);
  }

  @Override
  public MacAddress allocateMac(String owner) {
    return new MacAddress(
        macs.next(
            owner, "all MAC addresses of Weft's block " + FIRST + ".." + LAST + " are allocated"));
  }

  @Override
  public void allocateMac(MacAddress mac, String owner) {
    Objects.requireNonNull(mac, "mac");
    if (mac.compareTo(FIRST) < 0 || mac.compareTo(LAST) > 0) {
      throw new IpamValidationException(
          mac + " is outside Weft's MAC block " + FIRST + ".." + LAST, "mac");
    }
    macs.take(mac.value(), mac.toString(), owner);
  }

  @Override
  public void releaseMac(MacAddress mac) {
    macs.release(mac.value());
  }

  @Override
  @Transactional(readOnly = true)
  public Optional<String> ownerOf(MacAddress mac) {
    return macs.owner(mac.value());
  }

  @Override
  @Transactional(readOnly = true)
  public PoolUsage usage() {
    return macs.usage();
  }
}
