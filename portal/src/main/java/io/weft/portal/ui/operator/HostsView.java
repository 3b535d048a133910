package io.weft.portal.ui.operator;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.menubar.MenuBar;
import com.vaadin.flow.component.menubar.MenuBarVariant;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.theme.lumo.LumoUtility;
import io.weft.fabric.Host;
import io.weft.fabric.HostService;
import io.weft.fabric.HostState;
import io.weft.fabric.LogicalNetwork;
import io.weft.fabric.NewHost;
import io.weft.fabric.RegisteredHost;
import io.weft.fabric.tables.HostTableService;
import io.weft.portal.ui.CurrentUser;
import io.weft.portal.ui.Problems;
import io.weft.portal.ui.Ui;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Hosts: state, PA, load, the table generation its agent last applied and when it was last seen;
 * drain (move its VMs away), mark ready or down, register a new one.
 */
@Route("operator/hosts")
@PageTitle("Hosts · Weft")
@RolesAllowed("OPERATOR")
public class HostsView extends VerticalLayout {

  final Grid<Host> grid = new Grid<>(Host.class, false);
  final Button register = Ui.primary("Register host", VaadinIcon.PLUS);
  private final HostService hosts;
  private final HostTableService tables;
  private final CurrentUser user;
  private Map<String, String> networkNames = Map.of();

  public HostsView(HostService hosts, HostTableService tables, CurrentUser user) {
    this.hosts = hosts;
    this.tables = tables;
    this.user = user;
    Ui.page(this);
    setMaxWidth("1400px");
    register.setId("register-host");
    register.addClickListener(e -> openRegister());
    configureGrid();
    add(
        Ui.header(
            "Hosts",
            "Hypervisors with their data-plane agent. Drain a host to move its VMs away.",
            register),
        grid);
    refresh();
  }

  private void configureGrid() {
    grid.setId("hosts-grid");
    grid.addColumn(Host::name).setHeader("Host").setAutoWidth(true).setSortable(true);
    grid.addColumn(h -> networkNames.getOrDefault(h.logicalNetworkId().value().toString(), ""))
        .setHeader("Logical network")
        .setAutoWidth(true);
    grid.addColumn(Host::providerAddress).setHeader("PA").setAutoWidth(true);
    grid.addComponentColumn(h -> Ui.pill(state(h.state()), h.state() == HostState.READY))
        .setHeader("State")
        .setAutoWidth(true);
    grid.addComponentColumn(h ->
            Ui.usageBar(
                h.vmSlots() == 0 ? 100 : 100.0 * h.vmCount() / h.vmSlots(),
                h.vmCount() + " / " + h.vmSlots() + " VMs"))
        .setHeader("Load")
        .setAutoWidth(true);
    grid.addColumn(this::tableState)
        .setHeader("Tables")
        .setTooltipGenerator(h -> "Intended table generation and the one this host's agent applied")
        .setAutoWidth(true);
    grid.addColumn(h -> Ui.ago(h.lastSeenAt())).setHeader("Last seen").setAutoWidth(true);
    grid.addComponentColumn(this::actions).setHeader("").setWidth("7.5em").setFlexGrow(0);
    grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
    grid.setAllRowsVisible(true);
    grid.setEmptyStateText(
        "No hosts registered. Create a logical network first, then register hosts in it.");
  }

  /** "gen 7 · in sync", or how far the agent is behind the intended table. */
  String tableState(Host h) {
    long intended;
    try {
      intended = tables.generation(h.id());
    } catch (RuntimeException e) {
      return h.appliedGeneration() < 0 ? "not applied yet" : "applied " + h.appliedGeneration();
    }
    if (h.appliedGeneration() < 0) {
      return "gen " + intended + " · not applied yet";
    }
    long lag = intended - h.appliedGeneration();
    return lag <= 0
        ? "gen " + intended + " · in sync"
        : "applied " + h.appliedGeneration() + " of " + intended + " · " + lag + " behind";
  }

  static String state(HostState s) {
    return switch (s) {
      case REGISTERING -> "Registering";
      case READY -> "Ready";
      case DRAINING -> "Draining";
      case DOWN -> "Down";
    };
  }

  private MenuBar actions(Host h) {
    MenuBar menu = new MenuBar();
    menu.addThemeVariants(MenuBarVariant.LUMO_TERTIARY, MenuBarVariant.LUMO_SMALL);
    var root = menu.addItem("State");
    root.getSubMenu().addItem("Ready", e -> setState(h, HostState.READY));
    root.getSubMenu().addItem("Drain (move VMs away)", e -> setState(h, HostState.DRAINING));
    root.getSubMenu().addItem("Down", e -> setState(h, HostState.DOWN));
    return menu;
  }

  void setState(Host h, HostState state) {
    Problems.attempt(() -> hosts.setHostState(user.caller(), h.id(), state), Map.of())
        .ifPresent(updated -> {
          Problems.success(updated.name() + " is now " + state(updated.state()).toLowerCase());
          refresh();
        });
  }

  private void openRegister() {
    List<LogicalNetwork> networks = hosts.listLogicalNetworks(user.caller());
    if (networks.isEmpty()) {
      Problems.error("Create a logical network first: a host takes its PA from its pool.");
      return;
    }
    Dialog dialog = new Dialog();
    dialog.setHeaderTitle("Register a host");
    TextField name = new TextField("Host name");
    name.setId("host-name");
    ComboBox<LogicalNetwork> network = new ComboBox<>("Logical network");
    network.setItems(networks);
    network.setItemLabelGenerator(n -> n.name() + " (" + n.paCidr() + ")");
    network.setValue(networks.getFirst());
    TextField pa = new TextField("PA (optional)");
    pa.setPlaceholder("next free from the pool");
    IntegerField slots = new IntegerField("VM slots");
    slots.setValue(20);
    FormLayout form = new FormLayout(name, network, pa, slots);
    form.setWidth("32em");
    form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 2));
    Button save = Ui.primary("Register", VaadinIcon.CHECK);
    save.setId("host-save");
    save.addClickListener(e ->
        Problems.attempt(
                () ->
                    hosts.registerHost(
                        user.caller(),
                        new NewHost(
                            name.getValue().strip(),
                            network.getValue() == null
                                ? null
                                : network.getValue().id().value().toString(),
                            pa.getValue().isBlank() ? null : pa.getValue().strip(),
                            slots.getValue())),
                Map.of(
                    "name", name,
                    "logicalNetworkId", network,
                    "providerAddress", pa,
                    "vmSlots", slots))
            .ifPresent(r -> {
              dialog.close();
              refresh();
              showToken(r);
            }));
    dialog.add(form);
    dialog.getFooter().add(new Button("Cancel", e -> dialog.close()), save);
    dialog.open();
  }

  private void showToken(RegisteredHost registered) {
    Dialog dialog = new Dialog();
    dialog.setHeaderTitle("Host " + registered.host().name() + " registered");
    Paragraph p =
        new Paragraph("Give this agent token to the host's agent now: it is shown only this once.");
    p.addClassNames(LumoUtility.TextColor.ERROR);
    TextArea token = new TextArea("Agent token");
    token.setValue(registered.agentToken());
    token.setReadOnly(true);
    token.setWidth("34em");
    dialog.add(new VerticalLayout(p, token));
    dialog.getFooter().add(new Button("Done", e -> dialog.close()));
    dialog.open();
  }

  void refresh() {
    var caller = user.caller();
    networkNames =
        hosts.listLogicalNetworks(caller).stream()
            .collect(Collectors.toMap(n -> n.id().value().toString(), LogicalNetwork::name));
    grid.setItems(hosts.listHosts(caller));
  }
}
