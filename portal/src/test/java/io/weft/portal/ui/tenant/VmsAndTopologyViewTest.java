package io.weft.portal.ui.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.UI;
import io.weft.fabric.Addressing;
import io.weft.fabric.HostId;
import io.weft.fabric.NetworkService;
import io.weft.fabric.NewDhcpRange;
import io.weft.fabric.NewSubnet;
import io.weft.fabric.Subnet;
import io.weft.fabric.VmService;
import io.weft.portal.ui.BrowserlessViewTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class VmsAndTopologyViewTest extends BrowserlessViewTest {

  @Autowired NetworkService networks;
  @Autowired VmService vms;

  private Subnet subnetWithDhcp(
      TenantAdmin a, String network, String cidr, String from, String to) {
    var net = networks.createVmNetwork(a.caller(), a.tenant().id(), network);
    Subnet s =
        networks.createSubnet(
            a.caller(),
            a.tenant().id(),
            net.id(),
            new NewSubnet(
                "web",
                cidr,
                new io.weft.fabric.AddressRange(
                    cidr.replace("0/24", "10"), cidr.replace("0/24", "20")),
                List.of()));
    networks.addDhcpRange(
        a.caller(), a.tenant().id(), s.id(), new NewDhcpRange(from, to, null, null));
    return s;
  }

  @Test
  void vmsCanBeSearchedByNameAndTheSearchSurvivesARefresh() {
    ensureReadyHost();
    TenantAdmin a = newTenant("Search Ltd");
    var net = networks.createVmNetwork(a.caller(), a.tenant().id(), "n");
    var s =
        networks.createSubnet(
            a.caller(),
            a.tenant().id(),
            net.id(),
            new io.weft.fabric.NewSubnet(
                "s",
                "10.5.0.0/24",
                new io.weft.fabric.AddressRange("10.5.0.10", "10.5.0.20"),
                List.of()));
    for (String name : List.of("web-1", "Web-2", "db-1")) {
      vms.createVm(
          a.caller(),
          a.tenant().id(),
          new io.weft.fabric.NewVm(
              name,
              List.of(new io.weft.fabric.NewVnic(s.id().value().toString(), "STATIC", null))));
    }
    signIn(a.email());
    VmsView view = navigate(VmsView.class);
    assertThat(test(view.grid).size()).isEqualTo(3);

    test(view.search).setValue("WEB");
    assertThat(test(view.grid).size()).isEqualTo(2);
    view.refresh(); // as the page's poll does
    assertThat(test(view.grid).size()).as("the search stays after a refresh").isEqualTo(2);
    test(view.search).setValue("");
    assertThat(test(view.grid).size()).isEqualTo(3);
  }

  @Test
  void aDhcpVmWaitsForItsAddressWhichAppearsWithoutAReload() {
    ensureReadyHost();
    TenantAdmin a = newTenant("Live Co");
    subnetWithDhcp(a, "Prod", "10.3.0.0/24", "10.3.0.100", "10.3.0.199");
    signIn(a.email());
    VmsView view = navigate(VmsView.class);
    assertThat(view.grid.isVisible()).isFalse();

    test(view.create).click();
    VmDialog dialog = $(VmDialog.class).single();
    test(dialog.name).setValue("web-1");
    test(dialog.save).click();
    assertThat(test(view.grid).size()).isEqualTo(1);
    assertThat(vnicText(view)).contains("waiting for DHCP");
    assertThat(view.isWaitingForAddresses()).isTrue();
    assertThat(UI.getCurrent().getPollInterval()).isEqualTo(VmsView.POLL_MILLIS);

    // The data plane's DHCP responder hands the address out (here called directly)...
    var vm = vms.listVms(a.caller(), a.tenant().id()).getFirst();
    HostId host =
        vms.listAllVms(operator()).stream()
            .filter(v -> v.id().equals(vm.id()))
            .findFirst()
            .orElseThrow()
            .placement()
            .orElseThrow()
            .hostId();
    String leased = vms.leaseDhcpAddress(host, vm.nics().getFirst().id());
    // ...and the next poll shows it.
    view.refresh();
    assertThat(vnicText(view)).contains(leased);
    // Tenants never see where their VMs run.
    assertThat(vms.listVms(a.caller(), a.tenant().id())).allMatch(v -> v.placement().isEmpty());
    for (int c = 0; c < 4; c++) {
      assertThat(test(view.grid).getCellText(0, c))
          .doesNotContain("192.168.")
          .doesNotContain("host");
    }
    assertThat(view.isWaitingForAddresses()).isFalse();
    assertThat(UI.getCurrent().getPollInterval()).isEqualTo(-1);
  }

  @Test
  void aStaticVmGetsItsAddressAtOnceAndABadAddressIsShownAtTheField() {
    TenantAdmin a = newTenant("Static Co");
    subnetWithDhcp(a, "Prod", "10.4.0.0/24", "10.4.0.100", "10.4.0.199");
    signIn(a.email());
    VmsView view = navigate(VmsView.class);
    test(view.create).click();
    VmDialog dialog = $(VmDialog.class).single();
    test(dialog.name).setValue("db-1");
    dialog.rows.getFirst().addressing.setValue(Addressing.STATIC);
    test(dialog.rows.getFirst().address).setValue("10.4.0.150");
    test(dialog.save).click();
    assertThat(dialog.rows.getFirst().address.isInvalid()).as("inside the DHCP range").isTrue();

    test(dialog.rows.getFirst().address).setValue("10.4.0.5");
    test(dialog.save).click();
    assertThat(vnicText(view)).contains("10.4.0.5").contains("static");

    // Rename it: a name the rules refuse stays in the dialog with the reason at the field.
    var rename =
        (com.vaadin.flow.component.orderedlayout.HorizontalLayout)
            test(view.grid).getCellComponent(0, 4);
    test((com.vaadin.flow.component.button.Button) rename.getComponentAt(0)).click();
    io.weft.portal.ui.NameDialog names = $(io.weft.portal.ui.NameDialog.class).single();
    test(names.name).setValue("-bad name!");
    test(names.save).click();
    assertThat(names.name.isInvalid()).isTrue();
    test(names.name).setValue("db-primary");
    test(names.save).click();
    assertThat(test(view.grid).getCellText(0, 0)).isEqualTo("db-primary");
  }

  @Test
  void theTopologyDrawsNetworksSubnetsAndVmsAsSvgAndEscapesText() {
    TenantAdmin a = newTenant("Draw Co");
    Subnet s = subnetWithDhcp(a, "Net one", "10.5.0.0/24", "10.5.0.100", "10.5.0.199");
    vms.createVm(
        a.caller(),
        a.tenant().id(),
        new io.weft.fabric.NewVm(
            "vm-a",
            List.of(new io.weft.fabric.NewVnic(s.id().value().toString(), "STATIC", null))));
    signIn(a.email());
    TopologyView view = navigate(TopologyView.class);
    assertThat(view.svg())
        .startsWith("<svg")
        .contains("VM network Net one")
        .contains("web  10.5.0.0/24")
        .contains("vm-a")
        .contains("10.5.0.10");
    assertThat(io.weft.portal.ui.SvgMarkup.escape("a<b & \"c\">"))
        .isEqualTo("a&lt;b &amp; &quot;c&quot;&gt;");
  }

  @Test
  void anEmptyTenantIsToldWhatToDoInsteadOfAnEmptyPicture() {
    TenantAdmin a = newTenant("Blank");
    signIn(a.email());
    TopologyView view = navigate(TopologyView.class);
    assertThat(view.svg()).isEmpty();
    assertThat(view.getChildren().anyMatch(c -> c.getId().orElse("").equals("no-networks")))
        .isTrue();
  }

  private String vnicText(VmsView view) {
    StringBuilder text = new StringBuilder();
    for (int row = 0; row < test(view.grid).size(); row++) {
      test(view.grid)
          .getCellComponent(row, 2)
          .getChildren()
          .map(c -> ((com.vaadin.flow.component.html.Span) c).getText())
          .forEach(t -> text.append(t).append('\n'));
    }
    return text.toString();
  }
}
