package io.weft.portal.ui.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.ExternalHost;
import io.weft.fabric.ExternalHostService;
import io.weft.fabric.NetworkService;
import io.weft.fabric.NewLogicalNetwork;
import io.weft.fabric.NewSubnet;
import io.weft.portal.ui.BrowserlessViewTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class ExternalHostsViewTest extends BrowserlessViewTest {

  @Autowired NetworkService networks;
  @Autowired ExternalHostService external;

  @BeforeEach
  void asOperator() {
    signIn("admin");
  }

  @Test
  void anOperatorRegistersAnExternalHostAndAdmitsAMachine() {
    String tag = UUID.randomUUID().toString().substring(0, 6);
    var ln =
        hosts.createLogicalNetwork(
            operator(), new NewLogicalNetwork("ext-" + tag, "192.168.97.0/24", "NVGRE", 1500));
    TenantAdmin t = newTenant("External " + tag);
    var net = networks.createVmNetwork(t.caller(), t.tenant().id(), "n");
    var s =
        networks.createSubnet(
            t.caller(),
            t.tenant().id(),
            net.id(),
            new NewSubnet("s", "10.4.0.0/24", null, List.of()));

    ExternalHostsView view = navigate(ExternalHostsView.class);
    test(view.name).setValue("ovs-" + tag);
    view.logicalNetwork.setValue(
        view.logicalNetwork
            .getListDataView()
            .getItems()
            .filter(n -> n.id().equals(ln.id()))
            .findFirst()
            .orElseThrow());
    test(view.providerAddress).setValue("10.0.0.1");
    test(view.register).click();
    assertThat(view.providerAddress.isInvalid()).as("PA outside the logical network").isTrue();

    test(view.providerAddress).setValue("192.168.97.5");
    test(view.register).click();
    ExternalHost registered =
        external.list(operator()).stream()
            .filter(h -> h.name().equals("ovs-" + tag))
            .findFirst()
            .orElseThrow();
    assertThat(registered.providerAddress()).isEqualTo("192.168.97.5");
    assertThat(view.grid.asSingleSelect().getValue()).isNotNull();

    test(view.subnetId).setValue(s.id().toString());
    test(view.address).setValue("10.4.0.77");
    test(view.mac).setValue("01:00:00:00:00:01");
    test(view.admit).click();
    assertThat(view.mac.isInvalid()).as("multicast MAC").isTrue();
    test(view.mac).setValue("52:54:00:00:77:01");
    test(view.admit).click();
    assertThat(external.get(operator(), registered.id()).machines())
        .extracting(m -> m.address())
        .containsExactly("10.4.0.77");
    assertThat(view.machines.getListDataView().getItemCount()).isEqualTo(1);
    external.delete(operator(), registered.id());
  }
}
