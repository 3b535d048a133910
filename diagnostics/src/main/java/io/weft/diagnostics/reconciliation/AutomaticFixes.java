package io.weft.diagnostics.reconciliation;

import io.weft.fabric.Caller;
import io.weft.fabric.FabricException;
import io.weft.fabric.SecurityAuditLog;
import io.weft.fabric.TenantId;
import io.weft.fabric.VmService;
import io.weft.fabric.VnicId;
import io.weft.ipam.AddressPoolService;
import io.weft.ipam.IpAddressValue;
import io.weft.ipam.MacAddress;
import io.weft.ipam.MacPoolService;
import io.weft.ipam.PoolId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The fixes a run applies on its own, each with an audit entry. Only what Weft owns is touched: an
 * allocation is released only while it still names the owner the run saw gone, so a repeated or
 * recovered run never releases twice or releases an address somebody got in between.
 */
@Component
class AutomaticFixes {

  static final String ACTOR = "system:reconciliation";
  private static final Caller SYSTEM = Caller.system("reconciliation");

  private static final Logger log = LoggerFactory.getLogger(AutomaticFixes.class);

  private final AddressPoolService pools;
  private final MacPoolService macs;
  private final JdbcClient jdbc;
  private final SecurityAuditLog audit;
  private final TransactionTemplate transactions;
  private final VmService vms;

  AutomaticFixes(
      AddressPoolService pools,
      MacPoolService macs,
      JdbcClient jdbc,
      SecurityAuditLog audit,
      TransactionTemplate transactions,
      VmService vms) {
    this.pools = pools;
    this.macs = macs;
    this.jdbc = jdbc;
    this.audit = audit;
    this.transactions = transactions;
    this.vms = vms;
  }

  /** Applies the drift's fix; true if it changed something. */
  boolean apply(Drift drift, String scope, UUID tenantId) {
    return switch (drift.fix()) {
      case Drift.ReleaseAllocation release ->
          releaseIfOwnedBy(
              release.poolId(),
              release.address(),
              release.expectedOwner(),
              "reconciliation.fix.release",
              scope,
              tenantId,
              ACTOR);
      case Drift.ReclaimLease lease -> reclaimLease(lease);
      case null -> false;
    };
  }

  /**
   * Reclaims an expired lease through the fabric (which audits it as {@code vnic.dhcp-reclaim} by
   * this job), only while the vNIC still has that address: a lease renewed meanwhile stays.
   */
  private boolean reclaimLease(Drift.ReclaimLease lease) {
    boolean done;
    try {
      done =
          vms.reclaimDhcpAddress(
              SYSTEM, new VnicId(UUID.fromString(lease.vnicId())), lease.address());
    } catch (FabricException gone) {
      return false; // the vNIC went away meanwhile: its allocation is the next run's finding
    }
    if (done) {
      log.info(
          "Reconciliation reclaimed the expired lease {} of vNIC {}",
          lease.address(),
          lease.vnicId());
    }
    return done;
  }

  /**
   * Releases {@code address} if IPAM still has it allocated to {@code expectedOwner}; records an
   * audit line either way it went.
   */
  boolean releaseIfOwnedBy(
      UUID poolId,
      String address,
      String expectedOwner,
      String action,
      String scope,
      UUID tenantId,
      String actor) {
    PoolId pool = new PoolId(poolId);
    IpAddressValue value = IpAddressValue.parse(address);
    Boolean released =
        transactions.execute(tx -> {
          Optional<String> owner = pools.ownerOf(pool, value);
          if (owner.isEmpty() || !owner.get().equals(expectedOwner)) {
            return false;
          }
          pools.release(pool, value);
          releaseMacsOf(expectedOwner);
          return true;
        });
    boolean done = Boolean.TRUE.equals(released);
    audit.record(
        actor,
        tenantId == null ? null : new TenantId(tenantId),
        action,
        scope + " " + address,
        done ? "OK" : "REFUSED",
        done
            ? "released the allocation (and MAC) of " + expectedOwner + ", which no longer exists"
            : "not released: the address is no longer allocated to " + expectedOwner);
    if (done) {
      log.info(
          "Reconciliation released {} in {} (owner {} is gone)", address, scope, expectedOwner);
    }
    return done;
  }

  /** A gone vNIC's MAC goes back to the MAC pool with its address, if IPAM still has it so. */
  private void releaseMacsOf(String owner) {
    if (!owner.startsWith("vnic:")) {
      return;
    }
    List<Long> held =
        jdbc.sql(
                "SELECT a.num FROM ipam_allocation a JOIN ipam_pool p ON p.id = a.pool_id"
                    + " WHERE p.kind = 'MAC' AND a.owner = :owner")
            .param("owner", owner)
            .query(Long.class)
            .list();
    for (long value : held) {
      MacAddress mac = new MacAddress(value);
      if (macs.ownerOf(mac).filter(owner::equals).isPresent()) {
        macs.releaseMac(mac);
      }
    }
  }
}
