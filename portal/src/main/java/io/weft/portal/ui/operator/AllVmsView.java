package io.weft.portal.ui.operator;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.weft.fabric.Host;
import io.weft.fabric.HostService;
import io.weft.fabric.HostState;
import io.weft.fabric.Page;
import io.weft.fabric.PageRequest;
import io.weft.fabric.Tenant;
import io.weft.fabric.TenantService;
import io.weft.fabric.Vm;
import io.weft.fabric.VmSearch;
import io.weft.fabric.VmService;
import io.weft.fabric.VmState;
import io.weft.portal.ui.CurrentUser;
import io.weft.portal.ui.PagedItems;
import io.weft.portal.ui.Problems;
import io.weft.portal.ui.Ui;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Every VM of every tenant with its placement (host and PA), and live migration. */
@Route("operator/vms")
@PageTitle("All VMs · Weft")
@RolesAllowed("OPERATOR")
public class AllVmsView extends VerticalLayout implements BeforeEnterObserver {

  final Grid<Vm> grid = new Grid<>(Vm.class, false);
  final ComboBox<Tenant> tenantFilter = new ComboBox<>();
  final TextField nameSearch = new TextField();
  private final VmService vms;
  private final HostService hosts;
  private final TenantService tenants;
  private final CurrentUser user;
  private Map<String, String> tenantNames = Map.of();

  public AllVmsView(VmService vms, HostService hosts, TenantService tenants, CurrentUser user) {
    this.vms = vms;
    this.hosts = hosts;
    this.tenants = tenants;
    this.user = user;
    Ui.page(this);
    setMaxWidth("1400px");
    tenantFilter.setPlaceholder("All tenants");
    tenantFilter.setClearButtonVisible(true);
    tenantFilter.setItemLabelGenerator(Tenant::name);
    tenantFilter.setId("vm-tenant-filter");
    tenantFilter.setWidth("18em");
    tenantFilter.addValueChangeListener(e -> grid.getDataProvider().refreshAll());
    nameSearch.setPlaceholder("Search VM names");
    nameSearch.setPrefixComponent(VaadinIcon.SEARCH.create());
    nameSearch.setClearButtonVisible(true);
    nameSearch.setMaxLength(VmSearch.MAX_LENGTH);
    nameSearch.setValueChangeMode(ValueChangeMode.LAZY);
    nameSearch.setId("vm-name-search");
    nameSearch.addValueChangeListener(e -> grid.getDataProvider().refreshAll());
    Button reload = new Button("Refresh", VaadinIcon.REFRESH.create(), e -> refresh());
    configureGrid();
    grid.setItems(
        query -> PagedItems.fetch(query, this::shownPage),
        query -> PagedItems.count(this::shownPage));
    add(
        Ui.header(
            "All VMs", "Every tenant's VMs and where they run", nameSearch, tenantFilter, reload),
        grid);
    refresh();
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    event
        .getLocation()
        .getQueryParameters()
        .getSingleParameter("tenant")
        .flatMap(id ->
            tenantFilter
                .getListDataView()
                .getItems()
                .filter(t -> t.id().value().toString().equals(id))
                .findFirst())
        .ifPresent(tenantFilter::setValue);
  }

  private void configureGrid() {
    grid.setId("all-vms-grid");
    grid.addColumn(vm -> tenantNames.getOrDefault(vm.tenantId().value().toString(), ""))
        .setHeader("Tenant")
        .setAutoWidth(true);
    grid.addColumn(Vm::name).setHeader("VM").setAutoWidth(true);
    grid.addComponentColumn(vm ->
            Ui.pill(
                vm.state() == VmState.RUNNING ? "Running" : "Pending",
                vm.state() == VmState.RUNNING))
        .setHeader("State")
        .setAutoWidth(true);
    grid.addColumn(vm ->
            vm.nics().stream()
                .map(n -> n.address() == null ? "(DHCP pending)" : n.address())
                .collect(Collectors.joining(", ")))
        .setHeader("Addresses")
        .setAutoWidth(true);
    grid.addComponentColumn(vm ->
            vm.placement()
                .<com.vaadin.flow.component.Component>map(p ->
                    new com.vaadin.flow.router.RouterLink(
                        p.hostName(), HostDetailView.class, p.hostId().toString()))
                .orElseGet(() -> new com.vaadin.flow.component.html.Span("—")))
        .setHeader("Host")
        .setAutoWidth(true);
    grid.addColumn(vm -> vm.placement().map(p -> p.providerAddress()).orElse("—"))
        .setHeader("PA")
        .setAutoWidth(true);
    grid.addComponentColumn(
            vm -> {
              Button migrate =
                  new Button("Migrate", VaadinIcon.EXCHANGE.create(), e -> openMigrate(vm));
              migrate.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
              migrate.setEnabled(vm.placement().isPresent());
              Button history =
                  new Button(
                      "Migrations",
                      VaadinIcon.TIMER.create(),
                      e ->
                          getUI()
                              .ifPresent(ui ->
                                  ui.navigate(
                                      MigrationsView.class, MigrationsView.forVm(vm.id()))));
              history.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
              return new com.vaadin.flow.component.orderedlayout.HorizontalLayout(migrate, history);
            })
        .setAutoWidth(true)
        .setFlexGrow(0);
    grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
    // Lazy: only the rows in view are read, so the grid has a height rather than all its rows.
    grid.setHeight("calc(100vh - 190px)");
    grid.setEmptyStateText("No VMs yet: they appear here when tenants create them.");
  }

  void openMigrate(Vm vm) {
    String current = vm.placement().map(p -> p.hostId().value().toString()).orElse("");
    List<Host> targets =
        hosts.listHosts(user.caller()).stream()
            .filter(h -> h.state() == HostState.READY)
            .filter(h -> !h.id().value().toString().equals(current))
            .toList();
    if (targets.isEmpty()) {
      Problems.error("There is no other ready host to migrate " + vm.name() + " to.");
      return;
    }
    Dialog dialog = new Dialog();
    dialog.setHeaderTitle("Live-migrate " + vm.name());
    ComboBox<Host> target = new ComboBox<>("Target host");
    target.setItems(targets);
    target.setItemLabelGenerator(h ->
        h.name() + " · " + h.providerAddress() + " · " + h.vmCount() + "/" + h.vmSlots() + " VMs");
    target.setValue(targets.getFirst());
    target.setWidth("28em");
    target.setId("migrate-target");
    Button go = Ui.primary("Migrate", VaadinIcon.EXCHANGE);
    go.setId("migrate-go");
    go.addClickListener(e ->
        Problems.attempt(
                () -> vms.migrate(user.caller(), vm.id(), target.getValue().id()),
                Map.of("hostId", target))
            .ifPresent(moved -> {
              dialog.close();
              Problems.success(
                  moved.name()
                      + " now runs on "
                      + moved.placement().map(p -> p.hostName()).orElse("?")
                      + ": follow the make-before-break steps under Live migrations");
              refresh();
            }));
    dialog.add(target);
    dialog.getFooter().add(new Button("Cancel", e -> dialog.close()), go);
    dialog.open();
  }

  void refresh() {
    var caller = user.caller();
    List<Tenant> tenantList = tenants.list(caller);
    Tenant keep = tenantFilter.getValue();
    tenantFilter.setItems(tenantList);
    if (keep != null) {
      tenantList.stream()
          .filter(t -> t.id().equals(keep.id()))
          .findFirst()
          .ifPresent(tenantFilter::setValue);
    }
    tenantNames =
        tenantList.stream().collect(Collectors.toMap(t -> t.id().value().toString(), Tenant::name));
    grid.getDataProvider().refreshAll();
  }

  /**
   * A page of the VMs shown: every tenant's by name, or the chosen tenant's; those searched for.
   */
  private Page<Vm> shownPage(PageRequest page) {
    Tenant tenant = tenantFilter.getValue();
    String name = nameSearch.getValue();
    return tenant == null
        ? vms.pageAllVms(user.caller(), name, page)
        : vms.pageVms(user.caller(), tenant.id(), name, page);
  }
}
