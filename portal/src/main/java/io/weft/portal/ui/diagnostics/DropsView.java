package io.weft.portal.ui.diagnostics;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.shared.Registration;
import io.weft.diagnostics.DropEntry;
import io.weft.diagnostics.DropList;
import io.weft.diagnostics.DropQuery;
import io.weft.diagnostics.DropRecords;
import io.weft.fabric.Caller;
import io.weft.fabric.HostService;
import io.weft.fabric.NetworkService;
import io.weft.portal.ui.CurrentUser;
import io.weft.portal.ui.Problems;
import io.weft.portal.ui.Ui;
import jakarta.annotation.security.RolesAllowed;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Recent drops: per VM network (tenants, their own; no host names or PAs) or per host (operators),
 * newest first, with the table entry that decided each and how many records were lost. Refreshes
 * every few seconds while open, so a drop shows here within seconds of happening.
 */
@Route("diagnostics/drops")
@PageTitle("Drops · Weft")
@RolesAllowed({"OPERATOR", "TENANT_ADMIN", "TENANT_MEMBER"})
public class DropsView extends VerticalLayout {

  static final int REFRESH_MS = 3000;

  /** A VM network or host to filter by; id null = all. */
  record Scope(String id, String label) {}

  final ComboBox<Scope> scope = new ComboBox<>();
  final Paragraph headline = new Paragraph();
  final Grid<DropEntry> drops = new Grid<>(DropEntry.class, false);
  private final DropRecords records;
  private final CurrentUser user;
  private Registration polling;

  public DropsView(
      DropRecords records, NetworkService networks, HostService hosts, CurrentUser user) {
    this.records = records;
    this.user = user;
    Ui.page(this);
    var refresh = Ui.primary("Refresh", VaadinIcon.REFRESH);
    refresh.setId("drops-refresh");
    refresh.addClickListener(e -> refresh());
    add(
        Ui.header(
            "Drops",
            "What the hosts' virtual switches dropped recently, why, and the table entry that"
                + " decided it.",
            refresh));
    Caller caller = user.caller();
    scope.setId("drops-scope");
    scope.setItemLabelGenerator(Scope::label);
    scope.setWidth("24em");
    if (caller.isOperator()) {
      scope.setLabel("Host");
      scope.setItems(hostScopes(hosts, caller));
    } else {
      scope.setLabel("VM network");
      scope.setItems(networkScopes(networks, caller, user));
    }
    scope.setValue(scope.getListDataView().getItem(0));
    scope.addValueChangeListener(e -> refresh());
    headline.setId("drops-headline");
    configureGrid(caller.isOperator());
    add(scope, headline, drops);
    refresh();
  }

  private static List<Scope> hostScopes(HostService hosts, Caller caller) {
    var out = new ArrayList<Scope>();
    out.add(new Scope(null, "All hosts"));
    hosts.listHosts(caller).forEach(h -> out.add(new Scope(h.id().toString(), h.name())));
    return out;
  }

  private static List<Scope> networkScopes(
      NetworkService networks, Caller caller, CurrentUser user) {
    var out = new ArrayList<Scope>();
    out.add(new Scope(null, "All my VM networks"));
    networks
        .listVmNetworks(caller, user.tenant())
        .forEach(n -> out.add(new Scope(n.id().toString(), n.name())));
    return out;
  }

  private void configureGrid(boolean operator) {
    drops.setId("drops-grid");
    drops.addColumn(d -> Ui.time(d.at())).setHeader("When").setAutoWidth(true);
    if (operator) {
      drops.addColumn(DropEntry::host).setHeader("Host").setAutoWidth(true);
    }
    drops.addColumn(d -> d.vnicId() == null ? "underlay" : d.vnicId()).setHeader("vNIC");
    drops.addColumn(DropEntry::vsid).setHeader("VSID").setAutoWidth(true);
    drops.addColumn(DropsView::flow).setHeader("Packet").setFlexGrow(2);
    drops.addColumn(DropEntry::reason).setHeader("Reason").setAutoWidth(true);
    drops.addColumn(DropEntry::decidedBy).setHeader("Decided by").setFlexGrow(3);
    drops.addThemeVariants(GridVariant.LUMO_COMPACT);
    drops.setEmptyStateText("No drops recorded here.");
  }

  static String flow(DropEntry d) {
    if (d.protocol() == null) {
      return "(not parsed)";
    }
    String ports =
        d.sourcePort() == 0 && d.destinationPort() == 0
            ? ""
            : " " + d.sourcePort() + " → " + d.destinationPort();
    return d.protocol() + " " + d.source() + " → " + d.destination() + ports;
  }

  void refresh() {
    Scope s = scope.getValue();
    String id = s == null ? null : s.id();
    Caller caller = user.caller();
    DropQuery query =
        caller.isOperator() ? new DropQuery(null, id, 200) : new DropQuery(id, null, 200);
    Problems.attempt(() -> records.recent(caller, query), Map.of()).ifPresent(this::show);
  }

  private void show(DropList list) {
    headline.setText(
        list.drops().size()
            + " recent drops in "
            + list.scope()
            + "; "
            + list.lost()
            + (user.caller().isOperator() ? " records lost on the hosts" : " of your records lost")
            + " (overwritten on a host before they were reported, or beyond the records kept per"
            + " host).");
    drops.setItems(list.drops());
  }

  @Override
  protected void onAttach(AttachEvent event) {
    super.onAttach(event);
    event.getUI().setPollInterval(REFRESH_MS);
    polling = event.getUI().addPollListener(e -> refresh());
  }

  @Override
  protected void onDetach(DetachEvent event) {
    if (polling != null) {
      polling.remove();
      polling = null;
    }
    event.getUI().setPollInterval(-1);
    super.onDetach(event);
  }
}
