package io.weft.portal.ui.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.menubar.MenuBar;
import io.weft.fabric.HostState;
import io.weft.fabric.NetworkService;
import io.weft.fabric.NewSubnet;
import io.weft.fabric.NewVm;
import io.weft.fabric.NewVnic;
import io.weft.fabric.TenantState;
import io.weft.fabric.VmService;
import io.weft.portal.ui.BrowserlessViewTest;
import io.weft.portal.ui.HomeView;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class OperatorViewsTest extends BrowserlessViewTest {

  @Autowired NetworkService networks;
  @Autowired VmService vms;

  @BeforeEach
  void asOperator() {
    signIn("admin");
  }

  @Test
  void anOperatorSetsQuotasAndSuspendsAndResumesATenant() {
    TenantAdmin a = newTenant("Quota Corp");
    TenantsView view = navigate(TenantsView.class);
    var row =
        view.grid
            .getListDataView()
            .getItems()
            .filter(t -> t.id().equals(a.tenant().id()))
            .findFirst()
            .orElseThrow();
    view.grid.select(row);
    view.vms.clear();
    test(view.saveQuotas).click();
    assertThat(view.vms.isInvalid()).isTrue();
    test(view.vms).setValue(3);
    test(view.saveQuotas).click();
    assertThat(tenants.get(operator(), a.tenant().id()).quotas().vms()).isEqualTo(3);

    test(view.suspend).click();
    assertThat(tenants.get(operator(), a.tenant().id()).state()).isEqualTo(TenantState.SUSPENDED);
    assertThat(view.suspend.getText()).isEqualTo("Resume");
    test(view.suspend).click();
    assertThat(tenants.get(operator(), a.tenant().id()).state()).isEqualTo(TenantState.ACTIVE);
  }

  @Test
  void allVmsCanBeSearchedByNameAcrossTenants() {
    ensureReadyHost();
    String tag = "find" + java.util.UUID.randomUUID().toString().substring(0, 6);
    for (String tenantName : List.of("Search One " + tag, "Search Two " + tag)) {
      TenantAdmin t = newTenant(tenantName);
      var net = networks.createVmNetwork(t.caller(), t.tenant().id(), "n");
      var s =
          networks.createSubnet(
              t.caller(),
              t.tenant().id(),
              net.id(),
              new NewSubnet(
                  "s",
                  "10.9.0.0/24",
                  new io.weft.fabric.AddressRange("10.9.0.10", "10.9.0.20"),
                  List.of()));
      for (String name : List.of(tag + "-app", "unrelated")) {
        vms.createVm(
            t.caller(),
            t.tenant().id(),
            new NewVm(name, List.of(new NewVnic(s.id().value().toString(), "STATIC", null))));
      }
    }

    AllVmsView view = navigate(AllVmsView.class);
    test(view.nameSearch).setValue(tag.toUpperCase() + "-APP");

    assertThat(test(view.grid).size()).isEqualTo(2);
    assertThat(List.of(test(view.grid).getCellText(0, 0), test(view.grid).getCellText(1, 0)))
        .containsExactlyInAnyOrder("Search One " + tag, "Search Two " + tag);
    assertThat(test(view.grid).getCellText(0, 1)).isEqualTo(tag + "-app");
    test(view.nameSearch).setValue("");
    assertThat(test(view.grid).size()).as("cleared: every VM again").isGreaterThan(2);
  }

  @Test
  void allVmsShowPlacementAndMigrateToAnotherHost() {
    ensureReadyHost();
    TenantAdmin a = newTenant("Placed Ltd");
    var net = networks.createVmNetwork(a.caller(), a.tenant().id(), "p");
    var s =
        networks.createSubnet(
            a.caller(),
            a.tenant().id(),
            net.id(),
            new NewSubnet(
                "s",
                "10.8.0.0/24",
                new io.weft.fabric.AddressRange("10.8.0.10", "10.8.0.20"),
                List.of()));
    var vm =
        vms.createVm(
            a.caller(),
            a.tenant().id(),
            new NewVm("mover", List.of(new NewVnic(s.id().value().toString(), "STATIC", null))));

    AllVmsView view = navigate(AllVmsView.class);
    view.tenantFilter.setValue(
        view.tenantFilter
            .getListDataView()
            .getItems()
            .filter(t -> t.id().equals(a.tenant().id()))
            .findFirst()
            .orElseThrow());
    assertThat(view.grid.getDataProvider().isInMemory()).as("rows are read lazily").isFalse();
    assertThat(test(view.grid).size()).isEqualTo(1);
    assertThat(test(view.grid).getCellText(0, 0)).isEqualTo("Placed Ltd");
    String before = test(view.grid).getCellText(0, 4);
    assertThat(before).isNotEqualTo("—");
    assertThat(test(view.grid).getCellText(0, 5)).startsWith("192.168.");

    view.openMigrate(view.grid.getLazyDataView().getItems().findFirst().orElseThrow());
    ComboBox<?> target = $(ComboBox.class).id("migrate-target");
    assertThat(target.getValue()).isNotNull();
    test($(com.vaadin.flow.component.button.Button.class).id("migrate-go")).click();
    String after =
        vms.listAllVms(operator()).stream()
            .filter(v -> v.id().equals(vm.id()))
            .findFirst()
            .orElseThrow()
            .placement()
            .orElseThrow()
            .hostName();
    assertThat(after).isNotEqualTo(before);
    assertThat(test(view.grid).getCellText(0, 4)).isEqualTo(after);
  }

  @Test
  void hostsShowStateAndPaAndCanBeDrained() {
    ensureReadyHost();
    HostsView view = navigate(HostsView.class);
    assertThat(test(view.grid).size()).isGreaterThanOrEqualTo(2);
    assertThat(test(view.grid).getCellComponent(0, 0).getElement().getTextRecursively())
        .contains("PA 192.168.");
    assertThat(test(view.grid).getCellText(0, 3))
        .containsAnyOf("not applied yet", "in sync", "behind");
    var host =
        view.grid
            .getListDataView()
            .getItems()
            .filter(r -> r.host().name().startsWith("test-host"))
            .findFirst();
    if (host.isPresent()) {
      int row = view.grid.getListDataView().getItems().toList().indexOf(host.get());
      MenuBar menu = (MenuBar) test(view.grid).getCellComponent(row, 8);
      new com.vaadin.flow.component.menubar.MenuBarTester<>(menu)
          .clickItem("State", "Drain (move VMs away)");
      assertThat(hosts.getHost(operator(), host.get().host().id()).state())
          .isIn(HostState.DRAINING, HostState.DOWN);
      hosts.setHostState(operator(), host.get().host().id(), HostState.READY);
    }
  }

  @Test
  void logicalNetworksRefuseABadPoolAtTheField() {
    LogicalNetworksView view = navigate(LogicalNetworksView.class);
    test(view.name).setValue("site-x");
    test(view.paCidr).setValue("not-a-cidr");
    test(view.create).click();
    assertThat(view.paCidr.isInvalid()).isTrue();
    test(view.paCidr).setValue("172.31.250.0/24");
    test(view.create).click();
    assertThat(view.grid.getListDataView().getItems()).anyMatch(n -> n.name().equals("site-x"));
  }

  @Test
  void vsidUsageAndTheOperatorDashboardShowThePool() {
    VsidUsageView view = navigate(VsidUsageView.class);
    assertThat(view.usage.size()).isEqualTo(Long.toString(16_777_214L - 4096 + 1));
    TenantAdmin a = newTenant("Counted");
    var net = networks.createVmNetwork(a.caller(), a.tenant().id(), "c");
    var s =
        networks.createSubnet(
            a.caller(),
            a.tenant().id(),
            net.id(),
            new NewSubnet("s", "10.9.0.0/24", null, List.of()));
    vms.createVm(
        a.caller(),
        a.tenant().id(),
        new NewVm("counted", List.of(new NewVnic(s.id().value().toString(), "DHCP", null))));
    navigate(HomeView.class);
    assertThat($(com.vaadin.flow.component.html.Div.class).id("stat-tenants")).isNotNull();
    // The count comes from one GROUP BY query; it must agree with the full list.
    String vmCount = Integer.toString(vms.listAllVms(operator()).size());
    assertThat(
            $(com.vaadin.flow.component.html.Div.class)
                .id("stat-vms")
                .getElement()
                .getChild(1)
                .getText())
        .isEqualTo(vmCount);
  }

  @Test
  void theAuditLogShowsEveryTenantsLinesToOperators() {
    TenantAdmin a = newTenant("Audited");
    networks.createVmNetwork(a.caller(), a.tenant().id(), "seen-by-ops");
    var view = navigate(io.weft.portal.ui.tenant.ActivityView.class);
    assertThat(view.getChildren()).isNotEmpty();
    assertThat($(com.vaadin.flow.component.html.H2.class).id("page-title").getText())
        .isEqualTo("Audit log");
  }
}
