package io.weft.fabric.internal;

import io.weft.fabric.ConflictException;
import io.weft.fabric.FabricEvent;
import io.weft.fabric.Host;
import io.weft.fabric.HostId;
import io.weft.fabric.TenantId;
import io.weft.fabric.VmId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Puts VMs on hosts and moves them, inside the caller's transaction, announcing each move. */
@Component
class VmPlacements {

  private final JdbcClient jdbc;
  private final PlacementPolicy policy;
  private final ApplicationEventPublisher events;

  VmPlacements(JdbcClient jdbc, PlacementPolicy policy, ApplicationEventPublisher events) {
    this.jdbc = jdbc;
    this.policy = policy;
    this.events = events;
  }

  /** Places a PENDING VM on the best ready host, if any has room. */
  Optional<HostId> place(TenantId tenant, VmId vm) {
    Optional<Host> host = policy.choose(null);
    host.ifPresent(h -> {
      setHost(vm, h.id());
      events.publishEvent(new FabricEvent.VmPlaced(tenant, vm, h.id()));
    });
    return host.map(Host::id);
  }

  /** Moves a running VM to {@code target}, which must be ready and have room. */
  void move(TenantId tenant, VmId vm, HostId from, HostId target) {
    if (target.equals(from)) {
      throw new ConflictException("the VM already runs on that host", "hostId");
    }
    // Both host rows, in the database's order of ids (tables.internal.LockOrder): a move takes its
    // target's row and then, updating its count, its source's; two moves between the same hosts in
    // opposite directions took them in opposite orders and deadlocked.
    if (inLockOrder(from.value(), target.value())) {
      policy.lock(from);
    }
    if (!policy.lockAndRecheck(target)) {
      throw new ConflictException("the target host is not ready or has no free VM slot", "hostId");
    }
    setHost(vm, target);
    events.publishEvent(new FabricEvent.VmMigrated(tenant, vm, from, target));
  }

  /** Whether {@code a} comes before {@code b} in the database's (unsigned) order of UUIDs. */
  static boolean inLockOrder(UUID a, UUID b) {
    int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
    return (high != 0
            ? high
            : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits()))
        < 0;
  }

  /** Moves every VM off a draining host where another host has room; returns how many stayed. */
  int drain(HostId host) {
    int stuck = 0;
    for (Object[] row : vmsOn(host)) {
      VmId vm = new VmId((UUID) row[0]);
      TenantId tenant = new TenantId((UUID) row[1]);
      Optional<Host> target = policy.choose(host);
      if (target.isEmpty()) {
        stuck++;
        continue;
      }
      setHost(vm, target.get().id());
      events.publishEvent(new FabricEvent.VmMigrated(tenant, vm, host, target.get().id()));
    }
    return stuck;
  }

  /** Places PENDING VMs now that a host became ready. */
  void placePending() {
    List<Object[]> pending =
        jdbc.sql("SELECT id, tenant_id FROM fabric_vm WHERE state = 'PENDING' ORDER BY created_at")
            .query(
                (rs, n) -> new Object[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)})
            .list();
    for (Object[] row : pending) {
      if (place(new TenantId((UUID) row[1]), new VmId((UUID) row[0])).isEmpty()) {
        return;
      }
    }
  }

  private List<Object[]> vmsOn(HostId host) {
    return jdbc.sql("SELECT id, tenant_id FROM fabric_vm WHERE host_id = :host ORDER BY created_at")
        .param("host", host.value())
        .query((rs, n) -> new Object[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)})
        .list();
  }

  /** A VM left {@code host} for good (deleted): one fewer on its count. */
  void removed(HostId host) {
    if (host != null) {
      count(host.value(), -1);
    }
  }

  private void setHost(VmId vm, HostId host) {
    UUID was =
        jdbc.sql("SELECT host_id FROM fabric_vm WHERE id = :id")
            .param("id", vm.value())
            .query(UUID.class)
            .optional()
            .orElse(null);
    jdbc.sql("UPDATE fabric_vm SET host_id = :host, state = 'RUNNING' WHERE id = :id")
        .param("host", host.value())
        .param("id", vm.value())
        .update();
    if (!host.value().equals(was)) {
      count(host.value(), 1);
      if (was != null) {
        count(was, -1);
      }
    }
  }

  private void count(UUID host, int delta) {
    jdbc.sql("UPDATE fabric_host SET vm_count = vm_count + :d WHERE id = :id")
        .param("d", delta)
        .param("id", host)
        .update();
  }
}
