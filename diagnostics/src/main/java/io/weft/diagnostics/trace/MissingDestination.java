package io.weft.diagnostics.trace;

import io.weft.dataplane.table.IpAddress;
import io.weft.diagnostics.trace.FabricFacts.VnicFacts;
import java.util.List;
import java.util.Optional;

/**
 * Why a host has no lookup record for an address, from the fabric's model, for answers that saw the
 * missing record live (a probe's unanswered ARP or NO_ROUTE drop): the address belongs to a stopped
 * VM, or to a VM of another VM network. Only the source tenant's own vNICs are searched, so the
 * sentence never tells anything about another tenant.
 */
public final class MissingDestination {

  private MissingDestination() {}

  /** The reason in the product's words, with the change that fixes it; empty when none is known. */
  public static Optional<String> explain(FabricFacts facts, VnicFacts source, IpAddress address) {
    List<VnicFacts> holders =
        facts.tenantVnics(source.tenant()).stream()
            .filter(v -> address.equals(v.address()))
            .toList();
    for (VnicFacts v : holders) {
      if (v.network().equals(source.network()) && v.host() == null) {
        return Optional.of(
            "the destination VM "
                + v.vmName()
                + " is stopped ("
                + v.vmState()
                + ": on no host), so no host has a lookup record for "
                + address
                + "; start it");
      }
    }
    for (VnicFacts v : holders) {
      if (!v.network().equals(source.network())) {
        String here = facts.vmNetworkName(source.tenant(), source.network());
        String there = facts.vmNetworkName(source.tenant(), v.network());
        return Optional.of(
            address
                + " belongs to VM "
                + v.vmName()
                + " in VM network "
                + there
                + ", not in "
                + here
                + "; VM networks never route to each other");
      }
    }
    return Optional.empty();
  }
}
