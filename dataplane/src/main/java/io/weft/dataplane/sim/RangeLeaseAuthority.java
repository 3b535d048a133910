package io.weft.dataplane.sim;

import io.weft.dataplane.pipeline.LeaseAuthority;
import io.weft.dataplane.pipeline.LeaseEvent;
import io.weft.dataplane.table.AddressRange;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.PortEntry;
import io.weft.dataplane.table.VmSubnet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Allocates DHCP addresses from a subnet's ranges for simulations without a fabric. One instance is
 * shared by all simulated hosts, so two hosts never hand out one address; a port keeps its address
 * until released. Listeners see every lease event (a test's stand-in for IPAM).
 */
public final class RangeLeaseAuthority implements LeaseAuthority {

  private final Map<Integer, Map<String, IpAddress>> byVsid = new HashMap<>();
  private final Map<Integer, Set<IpAddress>> reserved = new HashMap<>();
  private final List<Consumer<LeaseEvent>> listeners = new CopyOnWriteArrayList<>();

  /** Keeps {@code address} out of allocation in {@code vsid} (a static address). */
  public synchronized void reserve(int vsid, IpAddress address) {
    reserved.computeIfAbsent(vsid, k -> new HashSet<>()).add(address);
  }

  public void addListener(Consumer<LeaseEvent> listener) {
    listeners.add(listener);
  }

  @Override
  public synchronized Optional<IpAddress> leaseFor(PortEntry port, VmSubnet subnet) {
    Map<String, IpAddress> leases = byVsid.computeIfAbsent(subnet.vsid(), k -> new HashMap<>());
    IpAddress existing = leases.get(port.portId());
    if (existing != null) {
      return Optional.of(existing);
    }
    if (subnet.dhcp() == null) {
      return Optional.empty();
    }
    Set<IpAddress> taken = new HashSet<>(leases.values());
    taken.addAll(reserved.getOrDefault(subnet.vsid(), Set.of()));
    for (AddressRange r : subnet.dhcp().ranges()) {
      for (IpAddress a = r.first(); a.compareTo(r.last()) <= 0; a = a.plus(1)) {
        if (!taken.contains(a) && !a.equals(subnet.gateway())) {
          leases.put(port.portId(), a);
          return Optional.of(a);
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public void leaseEvent(LeaseEvent event) {
    if (event.type() == LeaseEvent.Type.RELEASED || event.type() == LeaseEvent.Type.DECLINED) {
      synchronized (this) {
        Map<String, IpAddress> leases = byVsid.get(event.vsid());
        if (leases != null) {
          leases.remove(event.portId());
        }
        if (event.type() == LeaseEvent.Type.DECLINED) {
          reserve(event.vsid(), event.address()); // in use by someone else: never offer again
        }
      }
    }
    for (Consumer<LeaseEvent> l : listeners) {
      l.accept(event);
    }
  }
}
