package io.weft.portal.simulation;

import io.weft.dataplane.sim.SimulatedCloud;
import io.weft.dataplane.sim.SimulatedHost;
import io.weft.dataplane.sim.SimulatedVm;
import io.weft.dataplane.table.AddressingMode;
import io.weft.dataplane.table.PortEntry;
import io.weft.dataplane.table.VmNetworkTable;
import io.weft.dataplane.table.VmSubnet;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps one simulated VM on every port of every simulated host's current table: a VM appears when
 * the fabric places a vNIC there (static address configured, or DHCP started and retried until the
 * fabric has leased one), and goes when its port leaves the table (deleted or migrated).
 */
final class SimulatedVmKeeper {

  private static final Duration DHCP_TIMEOUT = Duration.ofSeconds(5);

  private final SimulatedCloud cloud;
  private final Map<String, String> hostByPort;
  private final Map<String, Running> running = new ConcurrentHashMap<>();

  private record Running(String hostId, SimulatedVm vm, boolean[] dhcpInFlight) {}

  SimulatedVmKeeper(SimulatedCloud cloud, Map<String, String> hostByPort) {
    this.cloud = cloud;
    this.hostByPort = hostByPort;
  }

  Optional<SimulatedVm> vm(String portId) {
    return Optional.ofNullable(running.get(portId)).map(Running::vm);
  }

  void reconcile() {
    Map<String, Set<String>> hostsOfPort = new HashMap<>();
    for (SimulatedHost host : cloud.hosts()) {
      for (VmNetworkTable network : host.agent().table().networks()) {
        for (PortEntry port : network.ports()) {
          hostsOfPort.computeIfAbsent(port.portId(), p -> new HashSet<>()).add(host.hostId());
        }
      }
    }
    // A VM leaves a host once that host's table drops its port (deleted, or the source of a move).
    for (String portId : Set.copyOf(running.keySet())) {
      Running current = running.get(portId);
      if (!hostsOfPort.getOrDefault(portId, Set.of()).contains(current.hostId())) {
        running.remove(portId);
        cloud.host(current.hostId()).backend().detach(portId);
        hostByPort.remove(portId, current.hostId());
      }
    }
    for (SimulatedHost host : cloud.hosts()) {
      for (VmNetworkTable network : host.agent().table().networks()) {
        Map<Integer, VmSubnet> subnets = new HashMap<>();
        network.subnets().forEach(s -> subnets.put(s.vsid(), s));
        for (PortEntry port : network.ports()) {
          keep(host, port, subnets.get(port.vsid()));
        }
      }
    }
  }

  private void keep(SimulatedHost host, PortEntry port, VmSubnet subnet) {
    Running current = running.get(port.portId());
    if (current != null && !current.hostId().equals(host.hostId())) {
      // Mid-migration both hosts list the port; the VM moves once the source lets go.
      return;
    }
    if (current == null) {
      hostByPort.put(port.portId(), host.hostId());
      SimulatedVm vm = host.startVm(port.portId(), port.mac());
      current = new Running(host.hostId(), vm, new boolean[1]);
      running.put(port.portId(), current);
      if (port.addressing() == AddressingMode.STATIC
          && !port.allowedAddresses().isEmpty()
          && subnet != null) {
        vm.configureStatic(port.allowedAddresses().getFirst(), subnet.prefix(), subnet.gateway());
        return;
      }
    }
    if (port.addressing() == AddressingMode.DHCP
        && current.vm().address() == null
        && !current.dhcpInFlight()[0]) {
      boolean[] flag = current.dhcpInFlight();
      flag[0] = true;
      current.vm().startDhcp(DHCP_TIMEOUT).whenComplete((address, failure) -> flag[0] = false);
    }
  }
}
