package io.weft.dataplane.sim;

import io.weft.dataplane.pipeline.LeaseEvent;
import io.weft.dataplane.table.AddressingMode;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.LookupRecord;
import io.weft.dataplane.table.MacAddress;
import io.weft.dataplane.table.PortEntry;
import io.weft.dataplane.table.TableDelta;
import io.weft.dataplane.table.TableMessage;
import io.weft.dataplane.table.VmNetworkTable;
import io.weft.dataplane.table.VmSubnet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in for the fabric in tests: holds the intent (VM networks, subnets, VMs placed on hosts),
 * compiles each host's table and pushes it as a delta, and records DHCP leases as CAs the way IPAM
 * would. {@link #stop()} takes it away.
 */
final class MiniFabric implements AutoCloseable {

  record Vm(String portId, String hostId, UUID network, int vsid, MacAddress mac, IpAddress ip) {}

  private final SimulatedCloud cloud;
  private final Map<UUID, List<VmSubnet>> networks = new LinkedHashMap<>();
  private final Map<String, Vm> vms = new LinkedHashMap<>();
  private final Map<String, IpAddress> leased = new LinkedHashMap<>();
  private final ExecutorService pusher = Executors.newSingleThreadExecutor();
  private volatile boolean stopped;

  MiniFabric(SimulatedCloud cloud, RangeLeaseAuthority leases) {
    this.cloud = cloud;
    leases.addListener(this::onLease);
  }

  synchronized void network(UUID id, VmSubnet... subnets) {
    networks.put(id, List.of(subnets));
  }

  /** A VM with a static address, or DHCP when {@code ip} is null. */
  synchronized Vm vm(String portId, String hostId, UUID network, int vsid, String mac, String ip) {
    Vm vm =
        new Vm(
            portId,
            hostId,
            network,
            vsid,
            MacAddress.parse(mac),
            ip == null ? null : IpAddress.parse(ip));
    vms.put(portId, vm);
    return vm;
  }

  private void onLease(LeaseEvent e) {
    // Lease events arrive on the switch's loop thread: hand them off, never block it.
    pusher.execute(() -> record(e));
  }

  private synchronized void record(LeaseEvent e) {
    if (e.type() == LeaseEvent.Type.GRANTED || e.type() == LeaseEvent.Type.RENEWED) {
      if (e.address().equals(leased.put(e.portId(), e.address()))) {
        return; // nothing new to publish
      }
    } else {
      leased.remove(e.portId());
    }
    push();
  }

  synchronized IpAddress addressOf(String portId) {
    Vm vm = vms.get(portId);
    return vm.ip() != null ? vm.ip() : leased.get(portId);
  }

  synchronized HostTable tableFor(SimulatedHost host, long generation) {
    List<VmNetworkTable> tables = new ArrayList<>();
    for (Map.Entry<UUID, List<VmSubnet>> n : networks.entrySet()) {
      List<LookupRecord> records = new ArrayList<>();
      List<PortEntry> ports = new ArrayList<>();
      boolean present = false;
      for (Vm vm : vms.values()) {
        if (!vm.network().equals(n.getKey())) {
          continue;
        }
        IpAddress ip = vm.ip() != null ? vm.ip() : leased.get(vm.portId());
        IpAddress pa = cloud.host(vm.hostId()).pa();
        if (ip != null) {
          records.add(new LookupRecord(vm.vsid(), ip, vm.mac(), pa));
        }
        if (vm.hostId().equals(host.hostId())) {
          present = true;
          ports.add(
              PortEntry.guarded(
                  vm.portId(),
                  vm.vsid(),
                  vm.mac(),
                  vm.ip() == null ? AddressingMode.DHCP : AddressingMode.STATIC,
                  ip == null ? List.of() : List.of(ip)));
        }
      }
      if (present) {
        tables.add(new VmNetworkTable(n.getKey(), n.getValue(), records, ports));
      }
    }
    HostTable current = host.agent().table();
    return new HostTable(
        host.hostId(), generation, current.encapsulation(), current.localPa(), 1400, tables);
  }

  /** Compiles every host's table and applies it as a delta; returns once all are in force. */
  synchronized void push() {
    if (stopped) {
      return;
    }
    for (SimulatedHost h : cloud.hosts()) {
      HostTable current = h.agent().table();
      HostTable next = tableFor(h, current.generation() + 1);
      applyOrFail(h, new TableMessage.Delta(TableDelta.between(current, next)));
    }
  }

  private static void applyOrFail(SimulatedHost h, TableMessage m) {
    var result = h.agent().apply(m);
    if (!result.applied()) {
      throw new IllegalStateException("table refused on " + h.hostId() + ": " + result.rejection());
    }
  }

  /** The fabric goes away: no more tables, whatever happens. */
  void stop() {
    stopped = true;
  }

  @Override
  public void close() {
    stop();
    pusher.shutdownNow();
  }
}
