package io.weft.fabric.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.HostId;
import io.weft.fabric.HostState;
import io.weft.fabric.NewDhcpRange;
import io.weft.fabric.NewVm;
import io.weft.fabric.NewVnic;
import io.weft.fabric.PageRequest;
import io.weft.fabric.Quotas;
import io.weft.fabric.RegisteredHost;
import io.weft.fabric.Subnet;
import io.weft.fabric.TenantState;
import io.weft.fabric.Vm;
import io.weft.fabric.VmId;
import io.weft.fabric.VmState;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tenants' VMs beyond {@link NetworkContract}'s basics: what creating, renaming and deleting refuse
 * (each refusal naming its field and leaving nothing behind), that a tenant never sees where its VM
 * runs, and the operator-only reads and migrations.
 */
abstract class VmContract extends FabricContract {

  private Subnet dhcpSubnet(Tenancy t, String prefix) {
    Subnet s = subnet(t, network(t), prefix + ".0/24");
    networks.addDhcpRange(
        t.admin(),
        t.id(),
        s.id(),
        new NewDhcpRange(prefix + ".100", prefix + ".150", 600, List.of()));
    return s;
  }

  @Test
  @Covers("VmService.createVm")
  void aVmNeedsWellFormedVnicsAFreeNameAndRoomInItsTenantsQuotas() {
    Tenancy a = newTenant();
    Subnet s = dhcpSubnet(a, "10.20.0");
    String sid = s.id().value().toString();
    invalid("nics", () -> vms.createVm(a.admin(), a.id(), new NewVm("vm", nCopies(9, s))));
    invalid("nics[0].addressing", () -> vm(a, "vm", new NewVnic(sid, "BOOTP", null)));
    invalid("nics[0].address", () -> vm(a, "vm", new NewVnic(sid, "DHCP", "10.20.0.5")));
    invalid("nics[1].subnetId", () -> vm(a, "vm", dhcpNic(s), new NewVnic(" ", "DHCP", null)));
    invalid("nics[0].address", () -> vm(a, "vm", staticNic(s, "10.20.1.5")));
    conflict("nics[0].address", () -> vm(a, "vm", staticNic(s, "10.20.0.120")));
    Vm first =
        vms.createVm(a.member(), a.id(), new NewVm("first", List.of(staticNic(s, "10.20.0.7"))));
    assertThat(first.nics().getFirst().address()).isEqualTo("10.20.0.7");
    assertThat(first.nics().getFirst().mac()).isNotBlank();
    conflict("nics[0].address", () -> vm(a, "other", staticNic(s, "10.20.0.7")));
    conflict("name", () -> vm(a, "first", dhcpNic(s)));
    tenants.updateQuotas(OPERATOR, a.id(), new Quotas(10, 50, 2, 3, 5));
    conflict("quota", () -> vm(a, "three-nics", dhcpNic(s), dhcpNic(s), dhcpNic(s)));
    vm(a, "second", dhcpNic(s));
    conflict("quota", () -> vm(a, "third", dhcpNic(s)));
    assertThat(vms.listVms(a.admin(), a.id()))
        .as("refused creates left nothing behind")
        .extracting(Vm::name)
        .containsExactly("first", "second");
    assertThat(tenants.get(a.admin(), a.id()).usage().vnics()).isEqualTo(2);
    tenants.setState(OPERATOR, a.id(), TenantState.SUSPENDED);
    conflict("tenantId", () -> vm(a, "late", dhcpNic(s)));
  }

  @Test
  @Covers({"VmService.renameVm", "VmService.deleteVm"})
  void renamingNeedsAFreeNameAndDeletingGivesTheAddressBack() {
    Tenancy a = newTenant();
    Subnet s = dhcpSubnet(a, "10.21.0");
    Vm one = vm(a, "one", staticNic(s, "10.21.0.10"));
    Vm two = vm(a, "two", dhcpNic(s));
    conflict("name", () -> vms.renameVm(a.admin(), a.id(), two.id(), "one"));
    invalid("name", () -> vms.renameVm(a.admin(), a.id(), two.id(), "-starts-badly"));
    notFound(() -> vms.renameVm(a.admin(), a.id(), VmId.random(), "x"));
    assertThat(vms.renameVm(a.member(), a.id(), two.id(), "deux").name()).isEqualTo("deux");
    assertThat(vms.renameVm(a.admin(), a.id(), one.id(), "one").name()).isEqualTo("one");
    notFound(() -> vms.deleteVm(a.admin(), a.id(), VmId.random()));
    vms.deleteVm(a.member(), a.id(), one.id());
    notFound(() -> vms.getVm(a.admin(), a.id(), one.id()));
    assertThat(vm(a, "again", staticNic(s, "10.21.0.10")).nics().getFirst().address())
        .as("the deleted VM's address is free again")
        .isEqualTo("10.21.0.10");
    tenants.setState(OPERATOR, a.id(), TenantState.SUSPENDED);
    conflict("tenantId", () -> vms.renameVm(a.admin(), a.id(), two.id(), "late"));
    conflict("tenantId", () -> vms.deleteVm(a.admin(), a.id(), two.id()));
    assertThat(vms.getVm(a.admin(), a.id(), two.id()).name()).isEqualTo("deux");
  }

  @Test
  @Covers({"VmService.getVm", "VmService.listVms", "VmService.pageVms"})
  void aTenantNeverSeesWhereItsVmsRunAndPagesThemByName() {
    Tenancy a = newTenant();
    Subnet s = dhcpSubnet(a, "10.22.0");
    Vm apple = vm(a, "apple", dhcpNic(s));
    vm(a, "banana", dhcpNic(s));
    vm(a, "pineapple", dhcpNic(s));
    assertThat(vms.getVm(OPERATOR, a.id(), apple.id()).placement()).isPresent();
    assertThat(vms.getVm(a.admin(), a.id(), apple.id()).placement()).isEmpty();
    assertThat(vms.getVm(a.member(), a.id(), apple.id()).placement()).isEmpty();
    assertThat(vms.listVms(a.member(), a.id())).allMatch(v -> v.placement().isEmpty());
    assertThat(vms.pageVms(a.member(), a.id(), PageRequest.first(10)).items())
        .allMatch(v -> v.placement().isEmpty());
    assertThat(vms.pageVms(OPERATOR, a.id(), PageRequest.first(10)).items())
        .allMatch(v -> v.placement().isPresent());
    var apples = vms.pageVms(a.member(), a.id(), "APPLE", new PageRequest(0, 1));
    assertThat(apples.total()).isEqualTo(2);
    assertThat(apples.items()).extracting(Vm::name).containsExactly("apple");
    assertThat(vms.pageVms(a.member(), a.id(), "apple", new PageRequest(1, 1)).items())
        .extracting(Vm::name)
        .containsExactly("pineapple");
    invalid("limit", () -> new PageRequest(0, 0));
    invalid("offset", () -> new PageRequest(-1, 10));
  }

  @Test
  @Covers({
    "VmService.listAllVms",
    "VmService.pageAllVms",
    "VmService.findVms",
    "VmService.findVmsByVnic",
    "VmService.countVmsByState"
  })
  void everyTenantsVmsAreReadByOperatorsOnlyAndNeverByAMember() {
    Tenancy a = newTenant();
    Tenancy b = newTenant();
    Vm va = vm(a, "mine-" + tag(), dhcpNic(dhcpSubnet(a, "10.23.0")));
    Vm vb = vm(b, "theirs-" + tag(), dhcpNic(dhcpSubnet(b, "10.23.0")));
    var nic = va.nics().getFirst().id();
    denied(() -> vms.listAllVms(a.member()));
    denied(() -> vms.pageAllVms(a.member(), PageRequest.first(10)));
    denied(() -> vms.findVms(b.member(), List.of(va.id())));
    denied(() -> vms.findVmsByVnic(b.admin(), List.of(nic)));
    denied(() -> vms.countVmsByState(a.member()));
    assertThat(vms.listAllVms(OPERATOR)).extracting(Vm::id).contains(va.id(), vb.id());
    assertThat(vms.pageAllVms(OPERATOR, va.name(), PageRequest.first(10)).items())
        .extracting(Vm::id)
        .containsExactly(va.id());
    assertThat(vms.findVms(OPERATOR, List.of(va.id(), vb.id(), VmId.random())))
        .extracting(Vm::id)
        .containsExactlyInAnyOrder(va.id(), vb.id());
    assertThat(vms.findVmsByVnic(OPERATOR, List.of(nic, nic)))
        .extracting(Vm::id)
        .containsExactly(va.id());
    var counts = vms.countVmsByState(OPERATOR);
    assertThat(counts).containsOnlyKeys(VmState.values());
    long before = counts.values().stream().mapToLong(Long::longValue).sum();
    vms.deleteVm(b.admin(), b.id(), vb.id());
    long after = vms.countVmsByState(OPERATOR).values().stream().mapToLong(Long::longValue).sum();
    assertThat(after).isEqualTo(before - 1);
  }

  @Test
  @Covers("VmService.migrate")
  void aMigrationNeedsAPlacedVmAndAReadyTargetWithRoom() {
    String ln = logicalNetwork();
    HostId source = readyHost(ln, 8).host().id();
    Tenancy a = newTenant();
    Subnet s = dhcpSubnet(a, "10.24.0");
    Vm vm = vm(a, "mover", dhcpNic(s));
    HostId on = vms.getVm(OPERATOR, a.id(), vm.id()).placement().orElseThrow().hostId();
    RegisteredHost full = readyHost(ln, 1);
    RegisteredHost draining = readyHost(ln, 8);
    hosts.setHostState(OPERATOR, draining.host().id(), HostState.DRAINING);
    denied(() -> vms.migrate(a.member(), vm.id(), full.host().id()));
    notFound(() -> vms.migrate(OPERATOR, VmId.random(), full.host().id()));
    conflict("hostId", () -> vms.migrate(OPERATOR, vm.id(), on));
    conflict("hostId", () -> vms.migrate(OPERATOR, vm.id(), draining.host().id()));
    if (hosts.getHost(OPERATOR, full.host().id()).vmCount() == 0) {
      // Not yet filled by a VM an earlier test left PENDING: fill its one slot.
      vms.migrate(OPERATOR, vm(a, "filler", dhcpNic(s)).id(), full.host().id());
    }
    conflict("hostId", () -> vms.migrate(OPERATOR, vm.id(), full.host().id()));
    HostId target = on.equals(source) ? readyHost(ln, 8).host().id() : source;
    assertThat(vms.migrate(OPERATOR, vm.id(), target).placement().orElseThrow().hostId())
        .isEqualTo(target);
    assertThat(vms.getVm(a.admin(), a.id(), vm.id()).placement()).isEmpty();
    assertThat(hosts.getHost(OPERATOR, full.host().id()).vmCount()).isEqualTo(1);
  }

  private static List<NewVnic> nCopies(int n, Subnet s) {
    return Collections.nCopies(n, dhcpNic(s));
  }
}
