package io.weft.portal.ui.operator;

import io.weft.fabric.Caller;
import io.weft.fabric.Host;
import io.weft.fabric.HostId;
import io.weft.fabric.HostService;
import io.weft.fabric.Tenant;
import io.weft.fabric.TenantService;
import io.weft.fabric.Vm;
import io.weft.fabric.VmId;
import io.weft.fabric.VmService;
import io.weft.fabric.Vnic;
import io.weft.fabric.VnicId;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Names for the ids that host tables and migrations carry (hosts, VMs, their tenants and vNICs),
 * read once per page refresh through the operator's own calls: hosts and tenants whole, VMs only
 * those the page shows.
 */
record OperatorDirectory(
    Map<HostId, Host> hosts,
    Map<VmId, Vm> vms,
    Map<String, Vm> vmsByVnic,
    Map<String, String> tenantNames) {

  /**
   * Reads the hosts and tenant names (short lists) and only the VMs the page shows: those with
   * {@code vmIds} and those owning the vNICs named by {@code portIds} (port ids that are not vNIC
   * ids name no VM).
   */
  static OperatorDirectory load(
      Caller operator,
      HostService hostService,
      VmService vmService,
      TenantService tenantService,
      Collection<VmId> vmIds,
      Collection<String> portIds) {
    Map<VmId, Vm> vms = new HashMap<>();
    for (Vm vm : vmIds.isEmpty() ? List.<Vm>of() : vmService.findVms(operator, vmIds)) {
      vms.put(vm.id(), vm);
    }
    List<VnicId> vnics = portIds.stream().flatMap(OperatorDirectory::vnicId).toList();
    Map<String, Vm> byVnic = new HashMap<>();
    for (Vm vm : vnics.isEmpty() ? List.<Vm>of() : vmService.findVmsByVnic(operator, vnics)) {
      vms.put(vm.id(), vm);
      for (Vnic nic : vm.nics()) {
        byVnic.put(nic.id().toString(), vm);
      }
    }
    return new OperatorDirectory(
        hostService.listHosts(operator).stream()
            .collect(Collectors.toMap(Host::id, Function.identity())),
        vms,
        byVnic,
        tenantService.list(operator).stream()
            .collect(Collectors.toMap(t -> t.id().value().toString(), Tenant::name)));
  }

  private static Stream<VnicId> vnicId(String portId) {
    try {
      return Stream.of(new VnicId(UUID.fromString(portId)));
    } catch (RuntimeException e) {
      return Stream.empty();
    }
  }

  String hostName(HostId id) {
    Host h = hosts.get(id);
    return h == null ? "removed host" : h.name();
  }

  String vmName(VmId id) {
    Vm vm = vms.get(id);
    return vm == null ? "deleted VM" : vm.name();
  }

  String tenantOf(VmId id) {
    Vm vm = vms.get(id);
    return vm == null ? "" : tenantNames.getOrDefault(vm.tenantId().value().toString(), "");
  }

  /** The VM and vNIC behind a port id (the agent's port id is the vNIC id). */
  Optional<Vnic> vnic(String portId) {
    return Optional.ofNullable(vmsByVnic.get(portId))
        .flatMap(
            vm -> vm.nics().stream().filter(n -> n.id().toString().equals(portId)).findFirst());
  }

  Optional<Vm> vmOfPort(String portId) {
    return Optional.ofNullable(vmsByVnic.get(portId));
  }
}
