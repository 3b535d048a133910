package io.weft.portal.ui.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.fabric.AccessDeniedException;
import io.weft.fabric.AddressRange;
import io.weft.fabric.NetworkService;
import io.weft.fabric.NewSubnet;
import io.weft.fabric.NewVm;
import io.weft.fabric.NewVnic;
import io.weft.fabric.Vm;
import io.weft.fabric.VmId;
import io.weft.fabric.VmService;
import io.weft.fabric.Vnic;
import io.weft.fabric.VnicId;
import io.weft.portal.ui.BrowserlessViewTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The operator's look-up of the VMs a page shows ({@link VmService#findVms}, {@link
 * VmService#findVmsByVnic}) and the {@link OperatorDirectory} built on it: exactly the VMs asked
 * for, with their vNICs, across more ids than one IN list holds; tenants are refused as by {@link
 * VmService#listAllVms}.
 */
class FindVmsTest extends BrowserlessViewTest {

  @Autowired NetworkService networks;
  @Autowired VmService vms;

  private List<Vm> createVms(TenantAdmin t, String... names) {
    var net = networks.createVmNetwork(t.caller(), t.tenant().id(), "n");
    var subnet =
        networks.createSubnet(
            t.caller(),
            t.tenant().id(),
            net.id(),
            new NewSubnet(
                "s", "10.9.0.0/24", new AddressRange("10.9.0.10", "10.9.0.90"), List.of()));
    List<Vm> created = new ArrayList<>();
    for (String name : names) {
      created.add(
          vms.createVm(
              t.caller(),
              t.tenant().id(),
              new NewVm(
                  name,
                  List.of(
                      new NewVnic(subnet.id().value().toString(), "STATIC", null),
                      new NewVnic(subnet.id().value().toString(), "DHCP", null)))));
    }
    return created;
  }

  private static List<VmId> ids(List<Vm> list) {
    return list.stream().map(Vm::id).toList();
  }

  @Test
  void findsExactlyTheVmsAskedForWithTheirVnicsAndNothingForUnknownIds() {
    TenantAdmin a = newTenant("Find A");
    TenantAdmin b = newTenant("Find B");
    List<Vm> inA = createVms(a, "a-1", "a-2", "a-3");
    List<Vm> inB = createVms(b, "b-1", "b-2");

    List<Vm> found =
        vms.findVms(operator(), List.of(inA.get(2).id(), inB.get(0).id(), VmId.random()));

    assertThat(ids(found)).containsExactly(inA.get(2).id(), inB.get(0).id());
    assertThat(found.getFirst().nics()).isEqualTo(inA.get(2).nics()).hasSize(2);
    assertThat(found.getFirst().placement()).isEqualTo(placement(inA.get(2)));
    assertThat(found.get(1).nics()).isEqualTo(inB.get(0).nics());
    assertThat(vms.findVms(operator(), List.of(VmId.random(), VmId.random()))).isEmpty();
    assertThat(vms.findVms(operator(), List.of())).isEmpty();

    Vnic second = inA.get(1).nics().get(1);
    List<Vm> byVnic =
        vms.findVmsByVnic(
            operator(),
            List.of(
                second.id(),
                inA.get(1).nics().getFirst().id(),
                inB.get(1).nics().getFirst().id(),
                VnicId.random()));
    assertThat(ids(byVnic)).containsExactly(inA.get(1).id(), inB.get(1).id());
    assertThat(byVnic.getFirst().nics()).isEqualTo(inA.get(1).nics());
    assertThat(vms.findVmsByVnic(operator(), List.of(VnicId.random()))).isEmpty();
  }

  @Test
  void worksWithMoreIdsThanOneBatch() {
    TenantAdmin a = newTenant("Find Many");
    List<Vm> created = createVms(a, "m-1", "m-2", "m-3");
    List<VmId> asked = new ArrayList<>();
    List<VnicId> askedVnics = new ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      asked.add(VmId.random());
      askedVnics.add(VnicId.random());
    }
    // One real id in each of the three IN lists (500, 500, 200), one of them twice.
    asked.set(3, created.get(0).id());
    asked.set(700, created.get(1).id());
    asked.set(1100, created.get(2).id());
    asked.set(1199, created.get(1).id());
    askedVnics.set(10, created.get(2).nics().get(1).id());
    askedVnics.set(999, created.get(0).nics().get(0).id());
    askedVnics.set(1000, created.get(0).nics().get(1).id());

    assertThat(ids(vms.findVms(operator(), asked))).containsExactlyElementsOf(ids(created));
    assertThat(ids(vms.findVmsByVnic(operator(), askedVnics)))
        .containsExactly(created.get(0).id(), created.get(2).id());
  }

  @Test
  void aTenantIsRefusedAsForTheListOfEveryVm() {
    TenantAdmin a = newTenant("Find Refused");
    List<Vm> own = createVms(a, "own");

    assertThatThrownBy(() -> vms.listAllVms(a.caller()))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessage("only operators may list every tenant's VMs");
    assertThatThrownBy(() -> vms.findVms(a.caller(), ids(own)))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessage("only operators may list every tenant's VMs");
    assertThatThrownBy(
            () -> vms.findVmsByVnic(a.caller(), List.of(own.getFirst().nics().getFirst().id())))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessage("only operators may list every tenant's VMs");
  }

  @Test
  void theDirectoryHoldsOnlyTheVmsThePageShows() {
    TenantAdmin a = newTenant("Directory Ltd");
    List<Vm> created = createVms(a, "shown-by-id", "shown-by-port", "not-shown");
    String port = created.get(1).nics().get(1).id().toString();

    OperatorDirectory names =
        OperatorDirectory.load(
            operator(),
            hosts,
            vms,
            tenants,
            List.of(created.get(0).id()),
            List.of(port, "port-1", "not-a-uuid"));

    assertThat(names.vms().keySet())
        .containsExactlyInAnyOrder(created.get(0).id(), created.get(1).id());
    assertThat(names.vmName(created.get(0).id())).isEqualTo("shown-by-id");
    assertThat(names.tenantOf(created.get(0).id())).isEqualTo("Directory Ltd");
    assertThat(names.vmOfPort(port).map(Vm::name)).contains("shown-by-port");
    assertThat(names.vnic(port)).contains(created.get(1).nics().get(1));
    assertThat(names.vmOfPort("port-1")).isEmpty();
    assertThat(names.vmName(created.get(2).id())).isEqualTo("deleted VM");
  }

  private java.util.Optional<io.weft.fabric.Placement> placement(Vm vm) {
    return vms.listVms(operator(), vm.tenantId()).stream()
        .filter(v -> v.id().equals(vm.id()))
        .findFirst()
        .orElseThrow()
        .placement();
  }
}
