package io.weft.dataplane.agent;

import io.weft.dataplane.pipeline.LeaseAuthority;
import io.weft.dataplane.pipeline.LeaseEvent;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.PortEntry;
import io.weft.dataplane.table.VmSubnet;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's record of the DHCP leases its host has granted, reported to the fabric in every
 * status; wraps the {@link LeaseAuthority} that decides addresses. Keeps when each lease was
 * granted, so a restarted agent can restore those still running ({@link #restore}); lease events
 * arrive on the switch thread, so saving is left to whoever polls {@link #takeChanged()}.
 */
public final class LeaseBook implements LeaseAuthority {

  private final LeaseAuthority delegate;
  private final Clock clock;
  private final Map<String, AgentStateStore.StoredLease> current = new ConcurrentHashMap<>();
  private volatile boolean changed;

  public LeaseBook(LeaseAuthority delegate) {
    this(delegate, Clock.systemUTC());
  }

  public LeaseBook(LeaseAuthority delegate, Clock clock) {
    this.delegate = delegate;
    this.clock = clock;
  }

  @Override
  public Optional<IpAddress> leaseFor(PortEntry port, VmSubnet subnet) {
    return delegate.leaseFor(port, subnet);
  }

  @Override
  public void leaseEvent(LeaseEvent event) {
    switch (event.type()) {
      case GRANTED, RENEWED ->
          current.put(
              event.portId(),
              new AgentStateStore.StoredLease(event, clock.instant().getEpochSecond()));
      case RELEASED, DECLINED -> current.remove(event.portId());
    }
    changed = true;
    delegate.leaseEvent(event);
  }

  /** Leases in force, one per port. */
  public List<LeaseEvent> leases() {
    return current.values().stream().map(AgentStateStore.StoredLease::lease).toList();
  }

  /** Leases in force with when they were granted, as the state store keeps them. */
  public List<AgentStateStore.StoredLease> stored() {
    return List.copyOf(current.values());
  }

  /** Leases a previous run of the agent granted (still running), reported again from now on. */
  public void restore(List<AgentStateStore.StoredLease> leases) {
    for (AgentStateStore.StoredLease l : leases) {
      current.putIfAbsent(l.lease().portId(), l);
    }
  }

  /** True once after any lease changed since the last call. */
  public boolean takeChanged() {
    boolean was = changed;
    changed = false;
    return was;
  }
}
