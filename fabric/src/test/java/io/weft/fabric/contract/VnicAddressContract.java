package io.weft.fabric.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.HostId;
import io.weft.fabric.NewDhcpRange;
import io.weft.fabric.Subnet;
import io.weft.fabric.Vm;
import io.weft.fabric.VnicId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A vNIC's address outside its VM's create: the DHCP lease the host's responder asks for, and the
 * reclaim and re-assign that only operators (IPAM reconciliation) may do.
 */
abstract class VnicAddressContract extends FabricContract {

  /** A tenant's subnet with a DHCP range of {@code size} addresses from .100. */
  private Subnet subnetWithRange(Tenancy t, String prefix, int size) {
    Subnet s = subnet(t, network(t), prefix + ".0/24");
    networks.addDhcpRange(
        t.admin(),
        t.id(),
        s.id(),
        new NewDhcpRange(prefix + ".100", prefix + "." + (99 + size), 600, List.of()));
    return s;
  }

  private HostId hostOf(Tenancy t, Vm vm) {
    return vms.getVm(OPERATOR, t.id(), vm.id()).placement().orElseThrow().hostId();
  }

  @Test
  @Covers("VmService.leaseDhcpAddress")
  void aLeaseIsKeptGivenOnlyToDhcpVnicsAndRefusedWhenTheRangesAreFull() {
    Tenancy a = newTenant();
    Subnet s = subnetWithRange(a, "10.30.0", 1);
    Vm first = vm(a, "first", dhcpNic(s));
    Vm fixed = vm(a, "fixed", staticNic(s, "10.30.0.10"));
    Vm second = vm(a, "second", dhcpNic(s));
    VnicId nic = first.nics().getFirst().id();
    notFound(() -> vms.leaseDhcpAddress(hostOf(a, first), VnicId.random()));
    conflict("vnicId", () -> vms.leaseDhcpAddress(hostOf(a, fixed), fixed.nics().getFirst().id()));
    String leased = vms.leaseDhcpAddress(hostOf(a, first), nic);
    assertThat(leased).isEqualTo("10.30.0.100");
    assertThat(vms.leaseDhcpAddress(hostOf(a, first), nic)).as("kept").isEqualTo(leased);
    conflict(
        "subnetId", () -> vms.leaseDhcpAddress(hostOf(a, second), second.nics().getFirst().id()));
    assertThat(vms.getVm(a.member(), a.id(), first.id()).nics().getFirst().address())
        .isEqualTo(leased);
  }

  @Test
  @Covers("VmService.reclaimDhcpAddress")
  void onlyOperatorsReclaimALeaseAndOnlyTheAddressTheVnicStillHas() {
    Tenancy a = newTenant();
    Subnet s = subnetWithRange(a, "10.31.0", 1);
    Vm vm = vm(a, "leaser", dhcpNic(s));
    Vm fixed = vm(a, "fixed", staticNic(s, "10.31.0.10"));
    VnicId nic = vm.nics().getFirst().id();
    String leased = vms.leaseDhcpAddress(hostOf(a, vm), nic);
    denied(() -> vms.reclaimDhcpAddress(a.admin(), nic, leased));
    denied(() -> vms.reclaimDhcpAddress(a.member(), nic, leased));
    notFound(() -> vms.reclaimDhcpAddress(OPERATOR, VnicId.random(), leased));
    assertThat(vms.reclaimDhcpAddress(OPERATOR, nic, "10.31.0.101"))
        .as("not its address")
        .isFalse();
    assertThat(vms.reclaimDhcpAddress(OPERATOR, fixed.nics().getFirst().id(), "10.31.0.10"))
        .as("a static address is never reclaimed")
        .isFalse();
    assertThat(vms.reclaimDhcpAddress(OPERATOR, nic, leased)).isTrue();
    assertThat(vms.getVm(a.admin(), a.id(), vm.id()).nics().getFirst().address()).isNull();
    Vm other = vm(a, "other", dhcpNic(s));
    assertThat(vms.leaseDhcpAddress(hostOf(a, other), other.nics().getFirst().id()))
        .as("the reclaimed address went back to the range")
        .isEqualTo(leased);
    assertThat(vms.reclaimDhcpAddress(OPERATOR, nic, leased)).as("reclaimed once").isFalse();
  }

  @Test
  @Covers("VmService.reassignVnicAddress")
  void onlyOperatorsReassignAndOnlyAnAddressThatIsFreeOrHeldByTheNamedOwner() {
    Tenancy a = newTenant();
    Subnet s = subnetWithRange(a, "10.32.0", 10);
    Vm vm = vm(a, "moving", staticNic(s, "10.32.0.10"));
    Vm holder = vm(a, "holder", staticNic(s, "10.32.0.11"));
    VnicId nic = vm.nics().getFirst().id();
    String holderOwner = "vnic:" + holder.nics().getFirst().id();
    denied(() -> vms.reassignVnicAddress(a.admin(), nic, "10.32.0.12", null));
    denied(() -> vms.reassignVnicAddress(a.member(), nic, "10.32.0.12", null));
    notFound(() -> vms.reassignVnicAddress(OPERATOR, VnicId.random(), "10.32.0.12", null));
    invalid("address", () -> vms.reassignVnicAddress(OPERATOR, nic, "10.32.0.999", null));
    conflict("address", () -> vms.reassignVnicAddress(OPERATOR, nic, "10.32.0.10", null));
    conflict("address", () -> vms.reassignVnicAddress(OPERATOR, nic, "10.32.0.11", null));
    conflict("address", () -> vms.reassignVnicAddress(OPERATOR, nic, "10.32.0.11", "vnic:gone"));
    assertThat(vms.reassignVnicAddress(OPERATOR, nic, "10.32.0.12", null)).isEqualTo("10.32.0.12");
    assertThat(vms.getVm(a.admin(), a.id(), vm.id()).nics().getFirst().address())
        .isEqualTo("10.32.0.12");
    assertThat(vm(a, "reuses", staticNic(s, "10.32.0.10")).nics().getFirst().address())
        .as("the previous address went back to the pool")
        .isEqualTo("10.32.0.10");
    assertThat(vms.reassignVnicAddress(OPERATOR, nic, "10.32.0.11", holderOwner))
        .as("taken over from the owner the caller named")
        .isEqualTo("10.32.0.11");
  }
}
