package io.weft.portal.ui.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import io.weft.fabric.NetworkService;
import io.weft.fabric.NewDhcpRange;
import io.weft.fabric.NewSubnet;
import io.weft.portal.ui.BrowserlessViewTest;
import io.weft.portal.ui.NameDialog;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class VmNetworkViewTest extends BrowserlessViewTest {

  @Autowired NetworkService networks;

  @Test
  void theNetworksListShowsAnEmptyStateThenTheNewNetwork() {
    TenantAdmin a = newTenant("Lister");
    signIn(a.email());
    VmNetworksView list = navigate(VmNetworksView.class);
    assertThat(list.grid.isVisible()).isFalse();
    test(list.create).click();
    NameDialog dialog = $(NameDialog.class).single();
    test(dialog.name).setValue("Staging");
    test(dialog.save).click();
    assertThat(getCurrentView()).isInstanceOf(VmNetworkView.class);
    assertThat(networks.listVmNetworks(a.caller(), a.tenant().id()))
        .extracting(n -> n.name())
        .containsExactly("Staging");
  }

  @Test
  void subnetsAndDhcpRangesAreAddedWithInlineErrorsFromTheSameRulesAsTheApi() {
    TenantAdmin a = newTenant("Builder");
    signIn(a.email());
    var net = networks.createVmNetwork(a.caller(), a.tenant().id(), "Core");
    VmNetworkView view = navigate(VmNetworkView.class, net.id().value().toString());

    test(view.addSubnet).click();
    SubnetDialog dialog = $(SubnetDialog.class).single();
    test(dialog.name).setValue("db");
    test(dialog.cidr).setValue("10.9.0.0/24");
    test(dialog.save).click();
    assertThat(test(view.subnets).size()).isEqualTo(1);
    assertThat(test(view.subnets).getCellText(0, 1)).isEqualTo("10.9.0.0/24");

    test(view.dhcpStart).setValue("10.9.0.0");
    test(view.dhcpEnd).setValue("10.9.0.50");
    test(view.addRange).click();
    assertThat(view.dhcpStart.isInvalid()).as("the range includes the gateway").isTrue();

    test(view.dhcpStart).setValue("10.9.0.100");
    test(view.dhcpEnd).setValue("10.9.0.199");
    test(view.addRange).click();
    assertThat(test(view.ranges).size()).isEqualTo(1);
    assertThat(test(view.ranges).getCellText(0, 0)).isEqualTo("10.9.0.100");
  }

  @Test
  void deletingANetworkThatStillHasSubnetsIsRefusedWithAClearMessage() {
    TenantAdmin a = newTenant("Keeper");
    signIn(a.email());
    var net = networks.createVmNetwork(a.caller(), a.tenant().id(), "Keep");
    networks.createSubnet(
        a.caller(), a.tenant().id(), net.id(), new NewSubnet("s", "10.1.0.0/24", null, List.of()));
    navigate(VmNetworkView.class, net.id().value().toString());
    test($(com.vaadin.flow.component.button.Button.class).id("delete-network")).click();
    test($(ConfirmDialog.class).single()).confirm();
    assertThat(notificationText()).containsIgnoringCase("subnet");
    assertThat(networks.listVmNetworks(a.caller(), a.tenant().id())).hasSize(1);
  }

  @Test
  void anotherTenantsNetworkByUrlIsNotFound() {
    TenantAdmin a = newTenant("Alpha");
    TenantAdmin b = newTenant("Bravo");
    var secret = networks.createVmNetwork(a.caller(), a.tenant().id(), "Secret");
    networks.addDhcpRange(
        a.caller(),
        a.tenant().id(),
        networks
            .createSubnet(
                a.caller(),
                a.tenant().id(),
                secret.id(),
                new NewSubnet("s", "10.0.0.0/24", null, List.of()))
            .id(),
        new NewDhcpRange("10.0.0.100", "10.0.0.110", null, null));
    signIn(b.email());
    VmNetworkView view = navigate(VmNetworkView.class, secret.id().value().toString());
    assertThat(view.getChildren().anyMatch(c -> c.getId().orElse("").equals("not-found"))).isTrue();
    assertThat(view.subnets.isAttached()).isFalse();

    navigate(VmNetworkView.class, "not-a-uuid");
    assertThat(
            getCurrentView()
                .getElement()
                .getChildren()
                .anyMatch(e -> "not-found".equals(e.getAttribute("id"))))
        .isTrue();
  }
}
