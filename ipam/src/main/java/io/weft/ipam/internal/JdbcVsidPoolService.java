package io.weft.ipam.internal;

import io.weft.ipam.PoolUsage;
import io.weft.ipam.Vsid;
import io.weft.ipam.VsidPoolService;
import java.util.Objects;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** {@link VsidPoolService} over the shared pool tables. */
@Service
@Transactional
class JdbcVsidPoolService implements VsidPoolService {

  private final GlobalPool vsids;

  JdbcVsidPoolService(Pools pools, FreeIntervals free, Allocations allocations) {
    this.vsids =
        new GlobalPool(
            WellKnownPools.VSID_POOL,
            WellKnownPools.VSID_RANGE,
            "VSID",
            "vsid",
            Vsid.MIN,
            Vsid.MAX,
            pools,
            free,
            allocations);
  }

  @Override
  public Vsid allocateVsid(String owner) {
    return new Vsid(
        (int)
            vsids.next(
                owner,
                "all VSIDs ("
                    + Vsid.MIN
                    + ".."
                    + Vsid.MAX
                    + ") are allocated; release unused VM subnets first"));
  }

  @Override
  public void allocateVsid(Vsid vsid, String owner) {
    Objects.requireNonNull(vsid, "vsid");
    vsids.take(vsid.value(), vsid.toString(), owner);
  }

  @Override
  public void releaseVsid(Vsid vsid) {
    vsids.release(vsid.value());
  }

  @Override
  @Transactional(readOnly = true)
  public Optional<String> ownerOf(Vsid vsid) {
    return vsids.owner(vsid.value());
  }

  @Override
  @Transactional(readOnly = true)
  public PoolUsage usage() {
    return vsids.usage();
  }
}
