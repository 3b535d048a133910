package io.weft.diagnostics.trace;

import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.LookupRecord;
import io.weft.dataplane.table.PortEntry;
import io.weft.dataplane.table.VmNetworkTable;
import io.weft.dataplane.table.VmSubnet;
import java.util.Optional;

/** Finds the entries of a host table a trace step was decided by, and names them. */
final class TableEntries {

  private TableEntries() {}

  static Optional<VmNetworkTable> networkOfPort(HostTable t, String portId) {
    return t.networks().stream()
        .filter(n -> n.ports().stream().anyMatch(p -> p.portId().equals(portId)))
        .findFirst();
  }

  static Optional<PortEntry> port(HostTable t, String portId) {
    return networkOfPort(t, portId)
        .flatMap(n -> n.ports().stream().filter(p -> p.portId().equals(portId)).findFirst());
  }

  static Optional<VmSubnet> subnet(VmNetworkTable n, int vsid) {
    return n.subnets().stream().filter(s -> s.vsid() == vsid).findFirst();
  }

  static Optional<VmSubnet> subnetHolding(VmNetworkTable n, IpAddress address) {
    return n.subnets().stream().filter(s -> s.prefix().contains(address)).findFirst();
  }

  static Optional<VmSubnet> subnetByVsid(HostTable t, int vsid) {
    return t.networks().stream()
        .flatMap(n -> n.subnets().stream())
        .filter(s -> s.vsid() == vsid)
        .findFirst();
  }

  static Optional<LookupRecord> record(VmNetworkTable n, IpAddress ca) {
    return n.lookupRecords().stream().filter(r -> r.ca().equals(ca)).findFirst();
  }

  static String describe(LookupRecord r) {
    return "lookup record VSID "
        + r.vsid()
        + ", CA "
        + r.ca()
        + ", MAC "
        + r.mac()
        + " → PA "
        + r.pa();
  }

  static String describe(PortEntry p) {
    return "port "
        + p.portId()
        + " (VSID "
        + p.vsid()
        + ", MAC "
        + p.mac()
        + ", allowed "
        + p.allowedAddresses()
        + ")";
  }

  static String describe(VmSubnet s) {
    return "subnet " + s.prefix() + " (VSID " + s.vsid() + ", gateway " + s.gateway() + ")";
  }
}
