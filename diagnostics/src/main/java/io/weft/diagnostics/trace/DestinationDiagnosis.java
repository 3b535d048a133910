package io.weft.diagnostics.trace;

import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.VmNetworkTable;
import io.weft.diagnostics.trace.FabricFacts.VnicFacts;
import java.util.List;

/**
 * Why the source's tables hold no lookup record for the destination: it is in another VM network,
 * its VM is not running, nobody has that address, or no subnet holds it. Only the source tenant's
 * own vNICs are searched, so the answer never tells anything about another tenant.
 */
final class DestinationDiagnosis {

  private final FabricFacts facts;

  DestinationDiagnosis(FabricFacts facts) {
    this.facts = facts;
  }

  void explain(
      TraceRun run, VnicFacts src, IpAddress dst, String hostLabel, VmNetworkTable network) {
    String at = "dropped on " + hostLabel + ": ";
    String networkName = facts.vmNetworkName(src.tenant(), src.network());
    List<VnicFacts> holders =
        facts.tenantVnics(src.tenant()).stream().filter(v -> dst.equals(v.address())).toList();
    VnicFacts same =
        holders.stream().filter(v -> v.network().equals(src.network())).findFirst().orElse(null);
    if (same != null) {
      explainKnown(run, same, dst, at, hostLabel);
      return;
    }
    if (!holders.isEmpty()) {
      VnicFacts other = holders.getFirst();
      String otherName = facts.vmNetworkName(src.tenant(), other.network());
      run.block(
          "VM network " + networkName,
          at
              + dst
              + " belongs to VM "
              + other.vmName()
              + " in VM network "
              + otherName
              + ", not in "
              + networkName
              + "; VM networks never route to each other",
          "give both VMs a vNIC in the same VM network (e.g. a vNIC of "
              + other.vmName()
              + " on a subnet of "
              + networkName
              + ")",
          false);
      return;
    }
    var subnet = TableEntries.subnetHolding(network, dst);
    if (subnet.isPresent()) {
      run.block(
          "VM network " + networkName,
          at
              + "no lookup record for "
              + dst
              + " in VSID "
              + subnet.get().vsid()
              + ": no VM of the tenant has that address",
          "check the address, or create a VM with a vNIC on "
              + dst
              + " (a DHCP vNIC gets an address only once its VM has asked for one)",
          false);
      return;
    }
    run.block(
        "VM network " + networkName,
        at + dst + " is in no subnet of VM network " + networkName,
        "add a subnet that holds "
            + dst
            + " to "
            + networkName
            + ", or use an address of one of its subnets",
        false);
  }

  private void explainKnown(
      TraceRun run, VnicFacts dest, IpAddress dst, String at, String hostLabel) {
    if (dest.host() == null) {
      run.block(
          "VM " + dest.vmName(),
          at
              + "the destination VM "
              + dest.vmName()
              + " is stopped ("
              + dest.vmState()
              + ": on no host), so no host has a lookup record for "
              + dst,
          "start it: it is placed and started as soon as a ready host has room (add a host or"
              + " free VM slots)",
          false);
      return;
    }
    run.block(
        hostLabel,
        at + "no lookup record for " + dst + " although VM " + dest.vmName() + " has it",
        "the fabric's table for "
            + hostLabel
            + " lacks the record: recompute the host's table"
            + " (report it; this is a bug)",
        false);
  }
}
