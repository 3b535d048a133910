package io.weft.portal.ui.operator;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.menubar.MenuBar;
import com.vaadin.flow.component.menubar.MenuBarVariant;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.theme.lumo.LumoUtility;
import io.weft.fabric.Caller;
import io.weft.fabric.Host;
import io.weft.fabric.HostService;
import io.weft.fabric.HostState;
import io.weft.fabric.LogicalNetwork;
import io.weft.fabric.NewHost;
import io.weft.fabric.RegisteredHost;
import io.weft.fabric.tables.HostTableService;
import io.weft.fabric.tables.HostTableStatus;
import io.weft.portal.ui.CurrentUser;
import io.weft.portal.ui.Problems;
import io.weft.portal.ui.Ui;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Hosts: state, PA, load, the table generation its agent applied against the intended one, whether
 * the digests match, its traffic and drop counters and when it last reported; drain (move its VMs
 * away), mark ready or down, register a new one. A host's name opens its detail page.
 */
@Route("operator/hosts")
@PageTitle("Hosts · Weft")
@RolesAllowed("OPERATOR")
public class HostsView extends VerticalLayout {

  final Grid<HostRow> grid = new Grid<>(HostRow.class, false);
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
            "Hypervisors with their data-plane agent: table state and counters as each agent last"
                + " reported. Open a host for its ports and drops; drain it to move its VMs away.",
            new Button("Refresh", VaadinIcon.REFRESH.create(), e -> refresh()),
            register),
        grid);
    refresh();
  }

  /** One grid row: the host, its table status and its agent's last counters. */
  record HostRow(Host host, HostTableStatus status, HostCounters counters) {}

  private void configureGrid() {
    grid.setId("hosts-grid");
    grid.addComponentColumn(this::nameCell)
        .setHeader("Host · PA")
        .setAutoWidth(true)
        .setComparator(r -> r.host().name());
    grid.addComponentColumn(
            r -> Ui.pill(state(r.host().state()), r.host().state() == HostState.READY))
        .setHeader("State")
        .setAutoWidth(true);
    grid.addComponentColumn(r -> load(r.host())).setHeader("Load").setAutoWidth(true);
    grid.addColumn(r -> tableState(r.status()))
        .setHeader("Table")
        .setTooltipGenerator(r -> "Generation the agent applied against the intended one")
        .setAutoWidth(true);
    grid.addComponentColumn(r -> digestPill(r.status())).setHeader("Digest").setAutoWidth(true);
    grid.addColumn(r -> traffic(r.counters()))
        .setHeader("Fwd · delivered")
        .setTooltipGenerator(r ->
            "Encapsulated to other hosts · delivered to this host's vNICs, as of the last report")
        .setAutoWidth(true);
    grid.addColumn(r -> r.counters().present() ? HostCounters.compact(r.counters().dropped()) : "—")
        .setHeader("Drops")
        .setTooltipGenerator(r -> r.counters().present() ? r.counters().dropSummary() : "")
        .setAutoWidth(true);
    grid.addColumn(r -> Ui.ago(r.host().lastSeenAt())).setHeader("Last seen").setAutoWidth(true);
    grid.addComponentColumn(r -> actions(r.host())).setHeader("").setWidth("5.5em").setFlexGrow(0);
    grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
    grid.setAllRowsVisible(true);
    grid.setEmptyStateText(
        "No hosts registered. Create a logical network first, then register hosts in it.");
  }

  private Div nameCell(HostRow r) {
    RouterLink link =
        new RouterLink(r.host().name(), HostDetailView.class, r.host().id().toString());
    link.addClassNames(LumoUtility.FontWeight.SEMIBOLD);
    Span paLine =
        new Span(
            "PA "
                + r.host().providerAddress()
                + " · "
                + networkNames.getOrDefault(r.host().logicalNetworkId().value().toString(), ""));
    paLine.addClassNames(LumoUtility.FontSize.XSMALL, LumoUtility.TextColor.SECONDARY);
    Div cell = new Div(link, new Div(paLine));
    cell.addClassNames(LumoUtility.LineHeight.XSMALL);
    return cell;
  }

  static com.vaadin.flow.component.Component load(Host h) {
    return Ui.usageBar(
        h.vmSlots() == 0 ? 100 : 100.0 * h.vmCount() / h.vmSlots(),
        h.vmCount() + " / " + h.vmSlots() + " VMs");
  }

  /** "7 · in sync", "5 of 7 · 2 behind", or that the agent never reported. */
  static String tableState(HostTableStatus s) {
    if (s == null) {
      return "unknown";
    }
    if (s.appliedGeneration() < 0) {
      return s.intendedGeneration() + " · not applied yet";
    }
    return s.lag() <= 0
        ? s.appliedGeneration() + " · in sync"
        : s.appliedGeneration() + " of " + s.intendedGeneration() + " · " + s.lag() + " behind";
  }

  /** Whether the digest of the table the agent applied equals that of the intended table. */
  static Span digestPill(HostTableStatus s) {
    if (s == null || s.appliedDigest() == null) {
      return Ui.pill("No report", false);
    }
    if (s.intendedDigest() != null && s.intendedDigest().equals(s.appliedDigest())) {
      return Ui.pill("Matches", true);
    }
    Span differs = Ui.pill(s.lag() > 0 ? "Catching up" : "Differs", false);
    if (s.lag() <= 0) {
      differs.addClassNames(LumoUtility.TextColor.ERROR);
    }
    return differs;
  }

  static String traffic(HostCounters c) {
    return c.present()
        ? HostCounters.compact(c.forwardedToUnderlay())
            + " · "
            + HostCounters.compact(c.deliveredToVms())
        : "—";
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

  private HostRow row(Caller caller, Host h) {
    HostTableStatus status;
    try {
      status = tables.status(caller, h.id());
    } catch (RuntimeException e) {
      status = null; // e.g. a host removed meanwhile: show the row without table state
    }
    HostCounters counters =
        tables
            .lastReport(caller, h.id())
            .map(r -> HostCounters.parse(r.countersJson()))
            .orElse(HostCounters.NOT_REPORTED);
    return new HostRow(h, status, counters);
  }

  void refresh() {
    var caller = user.caller();
    networkNames =
        hosts.listLogicalNetworks(caller).stream()
            .collect(Collectors.toMap(n -> n.id().value().toString(), LogicalNetwork::name));
    grid.setItems(hosts.listHosts(caller).stream().map(h -> row(caller, h)).toList());
  }
}
