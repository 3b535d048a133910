package io.weft.fabric.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.DhcpRangeId;
import io.weft.fabric.HostId;
import io.weft.fabric.NewDhcpRange;
import io.weft.fabric.NewSubnet;
import io.weft.fabric.NewVm;
import io.weft.fabric.NewVnic;
import io.weft.fabric.PageRequest;
import io.weft.fabric.Subnet;
import io.weft.fabric.TenantState;
import io.weft.fabric.VmNetwork;
import java.util.List;
import org.junit.jupiter.api.Test;

/** VM networks, subnets and DHCP ranges, and tenants' VMs: another tenant never reaches them. */
abstract class NetworkContract extends FabricContract {

  @Test
  @Covers({
    "NetworkService.createVmNetwork",
    "NetworkService.listVmNetworks",
    "NetworkService.getVmNetwork",
    "NetworkService.renameVmNetwork",
    "NetworkService.deleteVmNetwork"
  })
  void vmNetworksBelongToTheirTenantAndNeedAName() {
    Tenancy a = newTenant();
    Tenancy b = newTenant();
    invalid("name", () -> networks.createVmNetwork(a.admin(), a.id(), " "));
    notFound(() -> networks.createVmNetwork(b.admin(), a.id(), "intruder"));
    VmNetwork n = network(a);
    notFound(() -> networks.listVmNetworks(b.admin(), a.id()));
    notFound(() -> networks.getVmNetwork(b.admin(), a.id(), n.id()));
    notFound(() -> networks.getVmNetwork(b.admin(), b.id(), n.id()));
    notFound(() -> networks.renameVmNetwork(b.admin(), a.id(), n.id(), "taken"));
    invalid("name", () -> networks.renameVmNetwork(a.admin(), a.id(), n.id(), ""));
    notFound(() -> networks.deleteVmNetwork(b.admin(), a.id(), n.id()));
    assertThat(networks.listVmNetworks(a.member(), a.id()))
        .extracting(VmNetwork::id)
        .contains(n.id());
    subnet(a, n, "10.1.0.0/24");
    conflict("vmNetworkId", () -> networks.deleteVmNetwork(a.admin(), a.id(), n.id()));
  }

  @Test
  @Covers({
    "NetworkService.createSubnet",
    "NetworkService.listSubnets",
    "NetworkService.getSubnet",
    "NetworkService.renameSubnet",
    "NetworkService.deleteSubnet"
  })
  void subnetsBelongToTheirTenantAndNeedAValidCidr() {
    Tenancy a = newTenant();
    Tenancy b = newTenant();
    VmNetwork n = network(a);
    invalid(
        "cidr",
        () ->
            networks.createSubnet(
                a.admin(), a.id(), n.id(), new NewSubnet("s", "10.0.0.300/24", null, List.of())));
    invalid(
        "name",
        () ->
            networks.createSubnet(
                a.admin(), a.id(), n.id(), new NewSubnet("", "10.0.0.0/24", null, List.of())));
    notFound(() ->
        networks.createSubnet(
            b.admin(), a.id(), n.id(), new NewSubnet("s", "10.0.0.0/24", null, List.of())));
    Subnet s = subnet(a, n, "10.0.0.0/24");
    notFound(() -> networks.listSubnets(b.admin(), a.id(), n.id()));
    notFound(() -> networks.getSubnet(b.admin(), a.id(), s.id()));
    notFound(() -> networks.getSubnet(b.admin(), b.id(), s.id()));
    notFound(() -> networks.renameSubnet(b.admin(), a.id(), s.id(), "x"));
    invalid("name", () -> networks.renameSubnet(a.admin(), a.id(), s.id(), " "));
    notFound(() -> networks.deleteSubnet(b.admin(), a.id(), s.id()));
    assertThat(networks.listSubnets(a.member(), a.id(), n.id()))
        .extracting(Subnet::id)
        .contains(s.id());
    networks.deleteSubnet(a.admin(), a.id(), s.id());
    notFound(() -> networks.getSubnet(a.admin(), a.id(), s.id()));
  }

  @Test
  @Covers({
    "NetworkService.addDhcpRange",
    "NetworkService.listDhcpRanges",
    "NetworkService.getDhcpRange",
    "NetworkService.deleteDhcpRange"
  })
  void dhcpRangesBelongToTheirTenantAndLieInTheirSubnet() {
    Tenancy a = newTenant();
    Tenancy b = newTenant();
    Subnet s = subnet(a, network(a), "10.2.0.0/24");
    NewDhcpRange good = new NewDhcpRange("10.2.0.100", "10.2.0.200", 3600, List.of());
    invalid(
        "start",
        () ->
            networks.addDhcpRange(
                a.admin(),
                a.id(),
                s.id(),
                new NewDhcpRange("10.2.0.100", "10.3.0.1", 3600, List.of())));
    notFound(() -> networks.addDhcpRange(b.admin(), a.id(), s.id(), good));
    var range = networks.addDhcpRange(a.admin(), a.id(), s.id(), good);
    notFound(() -> networks.listDhcpRanges(b.admin(), a.id(), s.id()));
    notFound(() -> networks.getDhcpRange(b.admin(), a.id(), range.id()));
    notFound(() -> networks.deleteDhcpRange(b.admin(), a.id(), range.id()));
    assertThat(networks.listDhcpRanges(a.member(), a.id(), s.id())).hasSize(1);
    networks.deleteDhcpRange(a.admin(), a.id(), range.id());
    assertThat(networks.listDhcpRanges(a.admin(), a.id(), s.id())).isEmpty();
  }

  @Test
  @Covers({
    "VmService.createVm",
    "VmService.listVms",
    "VmService.pageVms",
    "VmService.getVm",
    "VmService.renameVm",
    "VmService.deleteVm"
  })
  void vmsBelongToTheirTenantAndNeedAVnicInOneOfItsSubnets() {
    Tenancy a = newTenant();
    Tenancy b = newTenant();
    Subnet s = subnet(a, network(a), "10.3.0.0/24");
    Subnet theirs = subnet(b, network(b), "10.3.0.0/24");
    NewVnic nic = new NewVnic(s.id().value().toString(), "STATIC", "10.3.0.10");
    invalid("nics", () -> vms.createVm(a.admin(), a.id(), new NewVm("vm", List.of())));
    invalid("name", () -> vms.createVm(a.admin(), a.id(), new NewVm(" ", List.of(nic))));
    invalid(
        "nics[0].address",
        () ->
            vms.createVm(
                a.admin(),
                a.id(),
                new NewVm(
                    "vm", List.of(new NewVnic(s.id().value().toString(), "STATIC", "10.9.9.9")))));
    notFound(() -> vms.createVm(b.admin(), a.id(), new NewVm("vm", List.of(nic))));
    // Another tenant's subnet id is "not found" too, not a way into its network.
    assertThat(
            org.assertj.core.api.Assertions.catchThrowable(() ->
                vms.createVm(
                    a.admin(),
                    a.id(),
                    new NewVm(
                        "vm", List.of(new NewVnic(theirs.id().value().toString(), "DHCP", null))))))
        .isInstanceOfAny(
            io.weft.fabric.NotFoundException.class, io.weft.fabric.InvalidRequestException.class);
    var vm = vms.createVm(a.admin(), a.id(), new NewVm("vm", List.of(nic)));
    notFound(() -> vms.listVms(b.admin(), a.id()));
    notFound(() -> vms.pageVms(b.admin(), a.id(), PageRequest.first(10)));
    invalid("name", () -> vms.pageVms(a.admin(), a.id(), "x".repeat(101), PageRequest.first(10)));
    notFound(() -> vms.getVm(b.admin(), a.id(), vm.id()));
    notFound(() -> vms.getVm(b.admin(), b.id(), vm.id()));
    notFound(() -> vms.renameVm(b.admin(), a.id(), vm.id(), "x"));
    invalid("name", () -> vms.renameVm(a.admin(), a.id(), vm.id(), " "));
    notFound(() -> vms.deleteVm(b.admin(), a.id(), vm.id()));
    assertThat(vms.listVms(a.member(), a.id())).hasSize(1);
    vms.deleteVm(a.admin(), a.id(), vm.id());
    assertThat(vms.listVms(a.admin(), a.id())).isEmpty();
  }

  @Test
  @Covers({
    "VmService.listAllVms",
    "VmService.pageAllVms",
    "VmService.findVms",
    "VmService.findVmsByVnic",
    "VmService.countVmsByState"
  })
  void onlyOperatorsSeeEveryTenantsVms() {
    Tenancy a = newTenant();
    Subnet s = subnet(a, network(a), "10.4.0.0/24");
    var vm =
        vms.createVm(
            a.admin(),
            a.id(),
            new NewVm("seen", List.of(new NewVnic(s.id().value().toString(), "DHCP", null))));
    denied(() -> vms.listAllVms(a.admin()));
    denied(() -> vms.pageAllVms(a.admin(), PageRequest.first(10)));
    denied(() -> vms.findVms(a.admin(), List.of(vm.id())));
    denied(() -> vms.findVmsByVnic(a.admin(), List.of(vm.nics().getFirst().id())));
    denied(() -> vms.countVmsByState(a.admin()));
    assertThat(vms.findVms(OPERATOR, List.of(vm.id()))).hasSize(1);
    assertThat(vms.findVmsByVnic(OPERATOR, List.of(vm.nics().getFirst().id()))).hasSize(1);
    invalid("name", () -> vms.pageAllVms(OPERATOR, "x".repeat(101), PageRequest.first(10)));
  }

  @Test
  @Covers({
    "NetworkService.createVmNetwork",
    "NetworkService.renameVmNetwork",
    "NetworkService.deleteVmNetwork",
    "NetworkService.createSubnet",
    "NetworkService.renameSubnet",
    "NetworkService.deleteSubnet",
    "NetworkService.addDhcpRange",
    "NetworkService.getDhcpRange",
    "NetworkService.deleteDhcpRange"
  })
  void conflictsNameTheirFieldAndASuspendedTenantReadsButChangesNothing() {
    Tenancy a = newTenant();
    VmNetwork n = networks.createVmNetwork(a.member(), a.id(), "blue");
    VmNetwork other = network(a);
    conflict("name", () -> networks.createVmNetwork(a.admin(), a.id(), "blue"));
    conflict("name", () -> networks.renameVmNetwork(a.admin(), a.id(), other.id(), "blue"));
    assertThat(networks.renameVmNetwork(a.member(), a.id(), n.id(), "navy").name())
        .isEqualTo("navy");
    Subnet s = subnet(a, n, "10.8.0.0/24");
    conflict(
        "name",
        () ->
            networks.createSubnet(
                a.admin(), a.id(), n.id(), new NewSubnet("sub", "10.9.0.0/24", null, List.of())));
    conflict(
        "cidr",
        () ->
            networks.createSubnet(
                a.admin(), a.id(), n.id(), new NewSubnet("s2", "10.8.0.128/25", null, List.of())));
    Subnet s2 =
        networks.createSubnet(
            a.admin(), a.id(), n.id(), new NewSubnet("s2", "10.9.0.0/24", null, List.of()));
    conflict("name", () -> networks.renameSubnet(a.admin(), a.id(), s2.id(), "sub"));
    invalid(
        "leaseSeconds",
        () ->
            networks.addDhcpRange(
                a.admin(),
                a.id(),
                s.id(),
                new NewDhcpRange("10.8.0.100", "10.8.0.110", 10, List.of())));
    conflict(
        "start",
        () ->
            networks.addDhcpRange(
                a.admin(),
                a.id(),
                s.id(),
                new NewDhcpRange("10.8.0.1", "10.8.0.10", 600, List.of())));
    var range =
        networks.addDhcpRange(
            a.admin(),
            a.id(),
            s.id(),
            new NewDhcpRange("10.8.0.100", "10.8.0.110", 600, List.of()));
    assertThat(networks.getDhcpRange(a.member(), a.id(), range.id()).start())
        .isEqualTo("10.8.0.100");
    notFound(() -> networks.getDhcpRange(a.admin(), a.id(), DhcpRangeId.random()));
    var vm = vm(a, "leaser", dhcpNic(s));
    HostId on = vms.getVm(OPERATOR, a.id(), vm.id()).placement().orElseThrow().hostId();
    vms.leaseDhcpAddress(on, vm.nics().getFirst().id());
    conflict("dhcpRangeId", () -> networks.deleteDhcpRange(a.admin(), a.id(), range.id()));
    conflict("subnetId", () -> networks.deleteSubnet(a.admin(), a.id(), s.id()));
    tenants.setState(OPERATOR, a.id(), TenantState.SUSPENDED);
    assertThat(networks.listVmNetworks(a.member(), a.id())).hasSize(2);
    conflict("tenantId", () -> networks.renameVmNetwork(a.admin(), a.id(), n.id(), "late"));
    conflict("tenantId", () -> networks.deleteVmNetwork(a.admin(), a.id(), other.id()));
    conflict(
        "tenantId",
        () ->
            networks.createSubnet(
                a.admin(), a.id(), other.id(), new NewSubnet("s", "10.1.0.0/24", null, List.of())));
    conflict("tenantId", () -> networks.renameSubnet(a.admin(), a.id(), s2.id(), "late"));
    conflict("tenantId", () -> networks.deleteSubnet(a.admin(), a.id(), s2.id()));
    conflict(
        "tenantId",
        () ->
            networks.addDhcpRange(
                a.admin(),
                a.id(),
                s2.id(),
                new NewDhcpRange("10.9.0.100", "10.9.0.110", 600, List.of())));
    conflict("tenantId", () -> networks.deleteDhcpRange(a.admin(), a.id(), range.id()));
    tenants.setState(OPERATOR, a.id(), TenantState.ACTIVE);
    networks.deleteSubnet(a.member(), a.id(), s2.id());
    networks.deleteVmNetwork(a.member(), a.id(), other.id());
    assertThat(networks.listVmNetworks(a.admin(), a.id()))
        .extracting(VmNetwork::id)
        .containsExactly(n.id());
  }
}
