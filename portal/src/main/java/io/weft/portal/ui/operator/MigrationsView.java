package io.weft.portal.ui.operator;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.shared.Registration;
import com.vaadin.flow.theme.lumo.LumoUtility;
import io.weft.fabric.HostService;
import io.weft.fabric.TenantService;
import io.weft.fabric.VmId;
import io.weft.fabric.VmService;
import io.weft.fabric.tables.HostTableService;
import io.weft.fabric.tables.MigrationRecord;
import io.weft.portal.ui.CurrentUser;
import io.weft.portal.ui.Ui;
import jakarta.annotation.security.RolesAllowed;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Live migrations, newest first, each with its make-before-break timeline: destination port
 * installed, peers switched, source dropped, and the stale window. {@code ?vm=<id>} shows one VM's
 * migrations. While one is in progress the page polls, so its steps appear as agents report them.
 */
@Route("operator/migrations")
@PageTitle("Live migrations · Weft")
@RolesAllowed("OPERATOR")
public class MigrationsView extends VerticalLayout implements BeforeEnterObserver {

  static final int LIMIT = 200;
  static final int POLL_MILLIS = 1000;

  final Grid<MigrationRecord> grid = new Grid<>(MigrationRecord.class, false);
  final MigrationTimeline timeline = new MigrationTimeline();
  final Span filterNote = new Span();
  private final VerticalLayout empty;
  private final HostTableService tables;
  private final HostService hosts;
  private final VmService vms;
  private final TenantService tenants;
  private final CurrentUser user;
  private OperatorDirectory names;
  private VmId vmFilter;
  private Registration polling;
  private boolean inProgress;

  public MigrationsView(
      HostTableService tables,
      HostService hosts,
      VmService vms,
      TenantService tenants,
      CurrentUser user) {
    this.tables = tables;
    this.hosts = hosts;
    this.vms = vms;
    this.tenants = tenants;
    this.user = user;
    Ui.page(this);
    setMaxWidth("1400px");
    empty =
        Ui.emptyState(
            VaadinIcon.EXCHANGE,
            "No live migrations yet",
            "Migrate a VM from All VMs, or drain a host: each move shows up here with its"
                + " make-before-break steps.",
            new RouterLink("Go to All VMs", AllVmsView.class));
    empty.setId("no-migrations");
    filterNote.setId("migrations-filter");
    filterNote.addClassNames(LumoUtility.TextColor.SECONDARY, LumoUtility.FontSize.SMALL);
    configureGrid();
    grid.asSingleSelect().addValueChangeListener(e -> showTimeline(e.getValue()));
    add(
        Ui.header(
            "Live migrations",
            "Make-before-break: the destination gets the port first, peers switch once it applied,"
                + " the source drops the port last.",
            new Button("Refresh", VaadinIcon.REFRESH.create(), e -> refresh())),
        filterNote,
        empty,
        grid,
        timeline);
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    vmFilter =
        event
            .getLocation()
            .getQueryParameters()
            .getSingleParameter("vm")
            .flatMap(MigrationsView::vmId)
            .orElse(null);
    refresh();
  }

  private static Optional<VmId> vmId(String text) {
    try {
      return Optional.of(VmId.parse(text));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Query parameters that open this view on one VM's migrations. */
  static QueryParameters forVm(VmId vm) {
    return QueryParameters.simple(Map.of("vm", vm.toString()));
  }

  private void configureGrid() {
    grid.setId("migrations-grid");
    grid.addComponentColumn(this::vmCell).setHeader("VM").setAutoWidth(true);
    grid.addColumn(m -> names.hostName(m.from()) + " → " + names.hostName(m.to()))
        .setHeader("From → to")
        .setAutoWidth(true);
    grid.addComponentColumn(m -> Ui.pill(phase(m.phase()), "DONE".equals(m.phase())))
        .setHeader("Phase")
        .setAutoWidth(true);
    grid.addColumn(m -> Ui.time(m.startedAt())).setHeader("Started").setAutoWidth(true);
    grid.addColumn(MigrationsView::took).setHeader("Took").setAutoWidth(true);
    grid.addComponentColumn(MigrationTimeline::staleWindowPill)
        .setHeader("Stale window")
        .setAutoWidth(true);
    grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
    grid.setAllRowsVisible(true);
  }

  private Div vmCell(MigrationRecord m) {
    Span vm = new Span(names.vmName(m.vmId()));
    vm.addClassNames(LumoUtility.FontWeight.SEMIBOLD);
    Span tenant = new Span(names.tenantOf(m.vmId()));
    tenant.addClassNames(LumoUtility.FontSize.XSMALL, LumoUtility.TextColor.SECONDARY);
    return new Div(new Div(vm), new Div(tenant));
  }

  static String phase(String phase) {
    return switch (phase == null ? "" : phase) {
      case "PORT_ON_DEST" -> "Port on destination";
      case "RECORDS_SWITCHED" -> "Peers switched";
      case "DONE" -> "Done";
      case "SUPERSEDED" -> "Superseded";
      default -> phase;
    };
  }

  static boolean finished(MigrationRecord m) {
    return "DONE".equals(m.phase()) || "SUPERSEDED".equals(m.phase());
  }

  /** From the start until the source applied dropping the port, or "in progress". */
  static String took(MigrationRecord m) {
    if (m.sourceAppliedAt() != null && m.startedAt() != null) {
      long ms = Duration.between(m.startedAt(), m.sourceAppliedAt()).toMillis();
      return ms < 1000 ? ms + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    return finished(m) ? "—" : "in progress";
  }

  private void showTimeline(MigrationRecord m) {
    timeline.setVisible(m != null);
    if (m != null) {
      timeline.show(m, names);
    }
  }

  void refresh() {
    var caller = user.caller();
    List<MigrationRecord> list =
        tables.migrations(caller, LIMIT).stream()
            .filter(m -> vmFilter == null || m.vmId().equals(vmFilter))
            .toList();
    Set<VmId> shown = new HashSet<>();
    list.forEach(m -> shown.add(m.vmId()));
    if (vmFilter != null) {
      shown.add(vmFilter);
    }
    names = OperatorDirectory.load(caller, hosts, vms, tenants, shown, List.of());
    filterNote.setVisible(vmFilter != null);
    filterNote.setText(
        vmFilter == null
            ? ""
            : "Migrations of "
                + names.vmName(vmFilter)
                + (names.tenantOf(vmFilter).isEmpty()
                    ? ""
                    : " (" + names.tenantOf(vmFilter) + ")"));
    MigrationRecord selected = grid.asSingleSelect().getValue();
    grid.setItems(list);
    grid.setVisible(!list.isEmpty());
    empty.setVisible(list.isEmpty());
    MigrationRecord keep =
        list.stream()
            .filter(m -> selected != null && m.id().equals(selected.id()))
            .findFirst()
            .orElse(list.isEmpty() ? null : list.getFirst());
    if (keep != null) {
      grid.select(keep);
    }
    showTimeline(keep);
    inProgress = list.stream().anyMatch(m -> !finished(m));
    getUI().ifPresent(ui -> ui.setPollInterval(inProgress ? POLL_MILLIS : -1));
  }

  /** True while a listed migration has not finished and the page polls for its steps. */
  boolean isFollowingAMigration() {
    return inProgress;
  }

  @Override
  protected void onAttach(AttachEvent event) {
    polling = event.getUI().addPollListener(e -> refresh());
    event.getUI().setPollInterval(inProgress ? POLL_MILLIS : -1);
  }

  @Override
  protected void onDetach(DetachEvent event) {
    if (polling != null) {
      polling.remove();
    }
    event.getUI().setPollInterval(-1);
  }
}
