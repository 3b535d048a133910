package io.weft.portal.ui.tenant;

import io.weft.fabric.Caller;
import io.weft.fabric.NetworkService;
import io.weft.fabric.Subnet;
import io.weft.fabric.TenantId;
import io.weft.fabric.VmNetwork;
import java.util.ArrayList;
import java.util.List;

/** A subnet with the name of its VM network, as a VM form offers it. */
record SubnetChoice(Subnet subnet, String networkName) {

  String label() {
    return networkName + " / " + subnet.name() + " (" + subnet.cidr() + ")";
  }

  static List<SubnetChoice> all(NetworkService networks, Caller caller, TenantId tenant) {
    List<SubnetChoice> choices = new ArrayList<>();
    for (VmNetwork n : networks.listVmNetworks(caller, tenant)) {
      for (Subnet s : networks.listSubnets(caller, tenant, n.id())) {
        choices.add(new SubnetChoice(s, n.name()));
      }
    }
    return choices;
  }
}
