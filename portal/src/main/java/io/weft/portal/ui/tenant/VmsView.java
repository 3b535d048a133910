package io.weft.portal.ui.tenant;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.shared.Registration;
import com.vaadin.flow.theme.lumo.LumoUtility;
import io.weft.fabric.Addressing;
import io.weft.fabric.NetworkService;
import io.weft.fabric.Vm;
import io.weft.fabric.VmService;
import io.weft.fabric.VmState;
import io.weft.fabric.Vnic;
import io.weft.portal.ui.CurrentUser;
import io.weft.portal.ui.NameDialog;
import io.weft.portal.ui.Problems;
import io.weft.portal.ui.Ui;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The tenant's VMs with their vNICs. While a DHCP vNIC still waits for its address the page polls
 * every few seconds, so the address appears as soon as the data plane hands it out.
 */
@Route("vms")
@PageTitle("VMs · Weft")
@RolesAllowed({"TENANT_ADMIN", "TENANT_MEMBER"})
public class VmsView extends VerticalLayout {

  static final int POLL_MILLIS = 2000;

  final Grid<Vm> grid = new Grid<>(Vm.class, false);
  final Button create = Ui.primary("New VM", VaadinIcon.PLUS);
  final TextField search = new TextField();
  private final VerticalLayout empty;
  private final VmService vms;
  private final NetworkService networks;
  private final CurrentUser user;
  private Map<String, String> subnetNames = Map.of();
  private Registration polling;
  private boolean waiting;

  public VmsView(VmService vms, NetworkService networks, CurrentUser user) {
    this.vms = vms;
    this.networks = networks;
    this.user = user;
    Ui.page(this);
    create.setId("create-vm");
    create.addClickListener(e -> openCreate());
    empty =
        Ui.emptyState(
            VaadinIcon.DESKTOP,
            "No VMs yet",
            "Create a VM and give it a vNIC in one of your subnets; DHCP vNICs get an address as"
                + " soon as the VM starts.");
    empty.setId("no-vms");
    search.setPlaceholder("Search by name");
    search.setPrefixComponent(VaadinIcon.SEARCH.create());
    search.setClearButtonVisible(true);
    search.setValueChangeMode(ValueChangeMode.LAZY);
    search.setId("vm-search");
    search.addValueChangeListener(e -> grid.getListDataView().setFilter(this::matchesSearch));
    configureGrid();
    add(
        Ui.header("VMs", "Your virtual machines and their network adapters", search, create),
        empty,
        grid);
    refresh();
  }

  private void configureGrid() {
    grid.setId("vms-grid");
    grid.addColumn(Vm::name).setHeader("Name").setAutoWidth(true).setSortable(true);
    grid.addComponentColumn(vm ->
            Ui.pill(
                vm.state() == VmState.RUNNING ? "Running" : "Waiting for a host",
                vm.state() == VmState.RUNNING))
        .setHeader("State")
        .setAutoWidth(true);
    grid.addComponentColumn(this::nics).setHeader("vNICs").setFlexGrow(3);
    grid.addColumn(vm -> Ui.ago(vm.createdAt())).setHeader("Created").setAutoWidth(true);
    grid.addComponentColumn(this::actions).setAutoWidth(true).setFlexGrow(0);
    grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_WRAP_CELL_CONTENT);
    grid.setAllRowsVisible(true);
  }

  private Div nics(Vm vm) {
    Div box = new Div();
    for (Vnic n : vm.nics()) {
      String address =
          n.address() != null
              ? n.address()
              : n.addressing() == Addressing.DHCP ? "waiting for DHCP…" : "—";
      Span line =
          new Span(
              address
                  + " · "
                  + (n.addressing() == Addressing.DHCP ? "DHCP" : "static")
                  + " · "
                  + subnetNames.getOrDefault(n.subnetId().value().toString(), "subnet")
                  + " · "
                  + n.mac());
      line.addClassNames(LumoUtility.Display.BLOCK, LumoUtility.FontSize.SMALL);
      line.addClassName("vnic");
      if (n.address() == null) {
        line.addClassNames(LumoUtility.TextColor.SECONDARY);
      }
      box.add(line);
    }
    return box;
  }

  private HorizontalLayout actions(Vm vm) {
    Button rename = new Button(VaadinIcon.EDIT.create(), e -> rename(vm));
    rename.setAriaLabel("Rename " + vm.name());
    rename.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE);
    Button delete = new Button(VaadinIcon.TRASH.create(), e -> delete(vm));
    delete.setAriaLabel("Delete " + vm.name());
    delete.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE, ButtonVariant.LUMO_ERROR);
    return new HorizontalLayout(rename, delete);
  }

  void refresh() {
    var caller = user.caller();
    var tenant = user.tenant();
    List<SubnetChoice> choices = SubnetChoice.all(networks, caller, tenant);
    subnetNames =
        choices.stream()
            .collect(
                Collectors.toMap(c -> c.subnet().id().value().toString(), SubnetChoice::label));
    List<Vm> items = vms.listVms(caller, tenant);
    // Each poll brings new rows: the search stays applied to them.
    grid.setItems(items).setFilter(this::matchesSearch);
    grid.setVisible(!items.isEmpty());
    empty.setVisible(items.isEmpty());
    waiting =
        items.stream()
            .flatMap(vm -> vm.nics().stream())
            .anyMatch(n -> n.addressing() == Addressing.DHCP && n.address() == null);
    getUI().ifPresent(ui -> ui.setPollInterval(waiting ? POLL_MILLIS : -1));
  }

  private boolean matchesSearch(Vm vm) {
    String text = search.getValue().strip().toLowerCase(Locale.ROOT);
    return text.isEmpty() || vm.name().toLowerCase(Locale.ROOT).contains(text);
  }

  /** True while a DHCP vNIC has no address yet and the page polls for it. */
  boolean isWaitingForAddresses() {
    return waiting;
  }

  @Override
  protected void onAttach(AttachEvent event) {
    polling = event.getUI().addPollListener(e -> refresh());
    event.getUI().setPollInterval(waiting ? POLL_MILLIS : -1);
  }

  @Override
  protected void onDetach(DetachEvent event) {
    if (polling != null) {
      polling.remove();
    }
    event.getUI().setPollInterval(-1);
  }

  void openCreate() {
    List<SubnetChoice> choices = SubnetChoice.all(networks, user.caller(), user.tenant());
    if (choices.isEmpty()) {
      Problems.error("Create a VM network with a subnet first: a VM needs a subnet for its vNIC.");
      return;
    }
    new VmDialog(
            choices,
            request -> vms.createVm(user.caller(), user.tenant(), request),
            vm -> {
              refresh();
              Problems.success("VM " + vm.name() + " created");
            })
        .open();
  }

  private void rename(Vm vm) {
    new NameDialog(
            "Rename VM",
            vm.name(),
            "Rename",
            name -> {
              Vm renamed = vms.renameVm(user.caller(), user.tenant(), vm.id(), name);
              refresh();
              return renamed;
            })
        .open();
  }

  private void delete(Vm vm) {
    ConfirmDialog dialog = new ConfirmDialog();
    dialog.setHeader("Delete VM " + vm.name() + "?");
    dialog.setText("Its addresses and MAC addresses are released.");
    dialog.setCancelable(true);
    dialog.setConfirmText("Delete");
    dialog.setConfirmButtonTheme("error primary");
    dialog.addConfirmListener(e -> {
      if (Problems.attempt(() -> vms.deleteVm(user.caller(), user.tenant(), vm.id()))) {
        refresh();
      }
    });
    dialog.open();
  }
}
