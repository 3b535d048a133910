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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Names for the ids that host tables and migrations carry (hosts, VMs, their tenants and vNICs),
 * read once per page refresh through the operator's own calls.
 */
record OperatorDirectory(
    Map<HostId, Host> hosts,
    Map<VmId, Vm> vms,
    Map<String, Vm> vmsByVnic,
    Map<String, String> tenantNames) {

  static OperatorDirectory load(
      Caller operator, HostService hostService, VmService vmService, TenantService tenantService) {
    List<Vm> all = vmService.listAllVms(operator);
    Map<String, Vm> byVnic = new HashMap<>();
    for (Vm vm : all) {
      for (Vnic nic : vm.nics()) {
        byVnic.put(nic.id().toString(), vm);
      }
    }
    return new OperatorDirectory(
        hostService.listHosts(operator).stream()
            .collect(Collectors.toMap(Host::id, Function.identity())),
        all.stream().collect(Collectors.toMap(Vm::id, Function.identity())),
        byVnic,
        tenantService.list(operator).stream()
            .collect(Collectors.toMap(t -> t.id().value().toString(), Tenant::name)));
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
