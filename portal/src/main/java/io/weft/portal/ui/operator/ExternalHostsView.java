package io.weft.portal.ui.operator;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.weft.fabric.ExternalHost;
import io.weft.fabric.ExternalHostService;
import io.weft.fabric.ExternalMachine;
import io.weft.fabric.HostService;
import io.weft.fabric.LogicalNetwork;
import io.weft.fabric.NewExternalHost;
import io.weft.fabric.NewExternalMachine;
import io.weft.portal.ui.CurrentUser;
import io.weft.portal.ui.Problems;
import io.weft.portal.ui.Ui;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;
import java.util.Map;

/**
 * External NVGRE/VXLAN endpoints (machines Weft does not run) and the machines behind them: an
 * operator registers the endpoint's PA, then admits machines (VM subnet, CA, MAC) into VM networks.
 */
@Route("operator/external-hosts")
@PageTitle("External hosts · Weft")
@RolesAllowed("OPERATOR")
public class ExternalHostsView extends VerticalLayout {

  final Grid<ExternalHost> grid = new Grid<>(ExternalHost.class, false);
  final Grid<ExternalMachine> machines = new Grid<>(ExternalMachine.class, false);
  final TextField name = new TextField("Name");
  final Select<LogicalNetwork> logicalNetwork = new Select<>();
  final TextField providerAddress = new TextField("Provider address (PA)");
  final Button register = Ui.primary("Register", VaadinIcon.PLUS);
  final TextField subnetId = new TextField("VM subnet id");
  final TextField address = new TextField("Customer address (CA)");
  final TextField mac = new TextField("MAC");
  final Button admit = Ui.primary("Admit machine", VaadinIcon.PLUS);
  private final ExternalHostService external;
  private final HostService hosts;
  private final CurrentUser user;

  public ExternalHostsView(ExternalHostService external, HostService hosts, CurrentUser user) {
    this.external = external;
    this.hosts = hosts;
    this.user = user;
    Ui.page(this);
    grid.setId("external-hosts-grid");
    grid.addColumn(ExternalHost::name).setHeader("Name").setAutoWidth(true);
    grid.addColumn(ExternalHost::providerAddress).setHeader("PA").setAutoWidth(true);
    grid.addColumn(ExternalHost::encapsulation).setHeader("Encapsulation").setAutoWidth(true);
    grid.addColumn(h -> h.machines().size()).setHeader("Machines").setAutoWidth(true);
    grid.addComponentColumn(h -> trash("Remove " + h.name(), () -> delete(h)))
        .setFlexGrow(0)
        .setAutoWidth(true);
    grid.setAllRowsVisible(true);
    grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
    grid.setEmptyStateText(
        "No external hosts: register an NVGRE or VXLAN endpoint that Weft does not run below.");
    grid.addSelectionListener(e -> showMachines());
    machines.setId("external-machines-grid");
    machines.addColumn(ExternalMachine::address).setHeader("CA").setAutoWidth(true);
    machines.addColumn(ExternalMachine::mac).setHeader("MAC").setAutoWidth(true);
    machines.addColumn(ExternalMachine::vsid).setHeader("VSID").setAutoWidth(true);
    machines.addColumn(m -> m.tenantId().toString()).setHeader("Tenant").setAutoWidth(true);
    machines
        .addComponentColumn(m -> trash("Withdraw " + m.address(), () -> withdraw(m)))
        .setFlexGrow(0)
        .setAutoWidth(true);
    machines.setAllRowsVisible(true);
    machines.setEmptyStateText("Select an external host to see and admit its machines.");
    add(
        Ui.header(
            "External hosts",
            "Endpoints Weft does not run, admitted into VM networks; hosts sharing a VM network"
                + " learn their machines"),
        grid,
        Ui.section("Register an external host"),
        registerForm(),
        Ui.section("Machines behind the selected host"),
        machines,
        admitForm());
    refresh();
  }

  private Button trash(String label, Runnable action) {
    Button b = new Button(VaadinIcon.TRASH.create(), e -> action.run());
    b.setAriaLabel(label);
    b.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE, ButtonVariant.LUMO_ERROR);
    return b;
  }

  private FormLayout registerForm() {
    name.setId("ext-name");
    logicalNetwork.setLabel("Logical network");
    logicalNetwork.setItemLabelGenerator(n -> n.name() + " (" + n.paCidr() + ")");
    providerAddress.setId("ext-pa");
    providerAddress.setPlaceholder("192.168.10.250");
    register.setId("ext-register");
    register.addClickListener(e -> register());
    FormLayout form = new FormLayout(name, logicalNetwork, providerAddress, register);
    form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 4));
    return form;
  }

  private FormLayout admitForm() {
    subnetId.setId("ext-subnet");
    address.setId("ext-ca");
    mac.setId("ext-mac");
    mac.setPlaceholder("52:54:00:12:34:56");
    admit.setId("ext-admit");
    admit.addClickListener(e -> admit());
    FormLayout form = new FormLayout(subnetId, address, mac, admit);
    form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 4));
    return form;
  }

  void register() {
    LogicalNetwork ln = logicalNetwork.getValue();
    Problems.attempt(
            () ->
                external.register(
                    user.caller(),
                    new NewExternalHost(
                        name.getValue().strip(),
                        ln == null ? null : ln.id().toString(),
                        providerAddress.getValue().strip(),
                        List.of())),
            Map.of(
                "name",
                name,
                "logicalNetworkId",
                logicalNetwork,
                "providerAddress",
                providerAddress))
        .ifPresent(h -> {
          name.clear();
          providerAddress.clear();
          refresh();
          grid.select(h);
        });
  }

  void admit() {
    ExternalHost selected = grid.asSingleSelect().getValue();
    if (selected == null) {
      Problems.error("Select the external host the machine sits behind first.");
      return;
    }
    Problems.attempt(
            () ->
                external.addMachine(
                    user.caller(),
                    selected.id(),
                    new NewExternalMachine(
                        subnetId.getValue().strip(),
                        address.getValue().strip(),
                        mac.getValue().strip())),
            Map.of("subnetId", subnetId, "address", address, "mac", mac))
        .ifPresent(m -> {
          address.clear();
          mac.clear();
          refresh();
        });
  }

  private void withdraw(ExternalMachine m) {
    ExternalHost selected = grid.asSingleSelect().getValue();
    if (selected != null
        && Problems.attempt(() -> external.removeMachine(user.caller(), selected.id(), m.id()))) {
      refresh();
    }
  }

  private void delete(ExternalHost h) {
    if (Problems.attempt(() -> external.delete(user.caller(), h.id()))) {
      refresh();
    }
  }

  void refresh() {
    ExternalHost selected = grid.asSingleSelect().getValue();
    List<ExternalHost> all = external.list(user.caller());
    grid.setItems(all);
    logicalNetwork.setItems(hosts.listLogicalNetworks(user.caller()));
    if (selected != null) {
      all.stream().filter(h -> h.id().equals(selected.id())).findFirst().ifPresent(grid::select);
    }
    showMachines();
  }

  private void showMachines() {
    ExternalHost selected = grid.asSingleSelect().getValue();
    machines.setItems(selected == null ? List.of() : selected.machines());
  }
}
