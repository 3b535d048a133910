package io.weft.dataplane.agent;

import io.weft.dataplane.pipeline.LeaseAuthority;
import io.weft.dataplane.pipeline.LeaseEvent;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.PortEntry;
import io.weft.dataplane.table.VmSubnet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's record of the DHCP leases its host has granted, reported to the fabric in every
 * status; wraps the {@link LeaseAuthority} that decides addresses.
 */
public final class LeaseBook implements LeaseAuthority {

  private final LeaseAuthority delegate;
  private final Map<String, LeaseEvent> current = new ConcurrentHashMap<>();

  public LeaseBook(LeaseAuthority delegate) {
    this.delegate = delegate;
  }

  @Override
  public Optional<IpAddress> leaseFor(PortEntry port, VmSubnet subnet) {
    return delegate.leaseFor(port, subnet);
  }

  @Override
  public void leaseEvent(LeaseEvent event) {
    switch (event.type()) {
      case GRANTED, RENEWED -> current.put(event.portId(), event);
      case RELEASED, DECLINED -> current.remove(event.portId());
    }
    delegate.leaseEvent(event);
  }

  /** Leases in force, one per port. */
  public List<LeaseEvent> leases() {
    return List.copyOf(current.values());
  }
}
