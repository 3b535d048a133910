package io.weft.diagnostics.trace;

import io.weft.dataplane.pipeline.TraceStep;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.VmNetworkTable;

/** Names the table entry that decided a step of the switch, for the reader of a trace. */
final class StepEntries {

  private StepEntries() {}

  /**
   * @param network the VM network of the sending port; null on a receiving host
   * @param portId the sending port; null on a receiving host
   * @param target the address being resolved or sent to
   */
  static String decidedBy(
      HostTable t, VmNetworkTable network, String portId, IpAddress target, TraceStep step) {
    String generation = "generation " + t.generation() + ": ";
    String detail = step.detail();
    return generation
        + switch (step.stage()) {
          case PARSE, PORT_SECURITY -> portOf(t, portId);
          case LOCAL_ANSWER, L2_LOOKUP, ROUTE -> recordFor(network, target);
          case ENCAPSULATE ->
              "host settings: "
                  + t.encapsulation()
                  + ", local PA "
                  + t.localPa()
                  + ", overlay MTU "
                  + t.overlayMtu();
          case DECAPSULATE -> subnetOf(t, detail);
          case DELIVER -> deliveredPort(t, detail);
          case DHCP -> "DHCP settings of the port's subnet";
          case DROP -> dropEntry(t, network, portId, target, detail);
        };
  }

  private static String portOf(HostTable t, String portId) {
    return portId == null
        ? "the port's entry"
        : TableEntries.port(t, portId).map(TableEntries::describe).orElse("port " + portId);
  }

  private static String recordFor(VmNetworkTable network, IpAddress target) {
    if (network == null) {
      return "the host's table";
    }
    var record = TableEntries.record(network, target);
    if (record.isPresent()) {
      return TableEntries.describe(record.get());
    }
    return TableEntries.subnetHolding(network, target)
        .filter(s -> s.gateway().equals(target))
        .map(s -> "gateway of " + TableEntries.describe(s) + " (distributed router)")
        .or(() -> TableEntries.subnetHolding(network, target).map(TableEntries::describe))
        .orElse("no entry for " + target);
  }

  private static String subnetOf(HostTable t, String detail) {
    for (var n : t.networks()) {
      for (var s : n.subnets()) {
        if (detail.startsWith("VSID " + s.vsid() + ",")) {
          return TableEntries.describe(s);
        }
      }
    }
    return "the host's subnets";
  }

  private static String deliveredPort(HostTable t, String detail) {
    String id = detail.startsWith("to port ") ? detail.substring("to port ".length()) : "";
    return TableEntries.port(t, id).map(TableEntries::describe).orElse("port " + id);
  }

  private static String dropEntry(
      HostTable t, VmNetworkTable network, String portId, IpAddress target, String detail) {
    if (detail.startsWith("SPOOFED_SOURCE")) {
      return portOf(t, portId);
    }
    if (detail.contains("overlay MTU")) {
      return "host settings: overlay MTU " + t.overlayMtu();
    }
    if (detail.startsWith("NO_ROUTE") && network != null) {
      return "no lookup record for "
          + target
          + " among the "
          + network.lookupRecords().size()
          + " records of VM network "
          + network.routingDomainId();
    }
    return "the host's table";
  }
}
