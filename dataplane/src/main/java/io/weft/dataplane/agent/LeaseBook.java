package io.weft.dataplane.agent;

import io.weft.dataplane.pipeline.AddressObservations;
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
  private final AddressObservations observations = new AddressObservations();
  private volatile boolean changed;
  private volatile Runnable onChange = () -> {};

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
    if (event.address() != null && event.type() != LeaseEvent.Type.DECLINED) {
      observations.lease(
          event.portId(),
          event.type() == LeaseEvent.Type.RELEASED
              ? AddressObservations.RELEASED
              : AddressObservations.LEASE,
          event.address(),
          event.leaseSeconds());
    }
    changed = true;
    delegate.leaseEvent(event);
    onChange.run();
  }

  /** Addresses the host's ports showed; the switch records into it, the agent reports it. */
  @Override
  public AddressObservations observations() {
    return observations;
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

  /**
   * Runs {@code listener} after every lease event, on the switch thread: it must not block (e.g. it
   * starts a status report elsewhere).
   */
  public void onChange(Runnable listener) {
    this.onChange = listener;
  }

  /** True once after any lease changed since the last call. */
  public boolean takeChanged() {
    boolean was = changed;
    changed = false;
    return was;
  }
}
