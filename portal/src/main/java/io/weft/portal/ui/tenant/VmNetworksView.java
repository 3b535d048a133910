package io.weft.portal.ui.tenant;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.weft.fabric.NetworkService;
import io.weft.fabric.VmNetwork;
import io.weft.portal.ui.CurrentUser;
import io.weft.portal.ui.NameDialog;
import io.weft.portal.ui.Ui;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;

/** The tenant's VM networks: each an isolated routing domain. Click one to see its subnets. */
@Route("networks")
@PageTitle("VM networks · Weft")
@RolesAllowed({"TENANT_ADMIN", "TENANT_MEMBER"})
public class VmNetworksView extends VerticalLayout {

  final Grid<VmNetwork> grid = new Grid<>(VmNetwork.class, false);
  final Button create = Ui.primary("New VM network", VaadinIcon.PLUS);
  private final VerticalLayout empty;
  private final NetworkService networks;
  private final CurrentUser user;

  public VmNetworksView(NetworkService networks, CurrentUser user) {
    this.networks = networks;
    this.user = user;
    Ui.page(this);
    create.setId("create-network");
    create.addClickListener(e -> openCreate());
    Button wizard = new Button("Guided set-up", VaadinIcon.MAGIC.create());
    wizard.addClickListener(e -> getUI().ifPresent(ui -> ui.navigate(FirstNetworkWizard.class)));
    empty =
        Ui.emptyState(
            VaadinIcon.CLUSTER,
            "No VM networks yet",
            "A VM network is where your VMs talk to each other. Create one, then add a subnet.",
            wizard);
    configureGrid();
    add(
        Ui.header(
            "VM networks",
            "Isolated routing domains: subnets in one network route to each other, never to another.",
            create),
        empty,
        grid);
    refresh();
  }

  private void configureGrid() {
    grid.setId("networks-grid");
    grid.addColumn(VmNetwork::name).setHeader("Name").setSortable(true).setFlexGrow(2);
    grid.addColumn(VmNetwork::subnetCount).setHeader("Subnets").setAutoWidth(true);
    grid.addColumn(n -> Ui.time(n.createdAt())).setHeader("Created").setAutoWidth(true);
    grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
    grid.setAllRowsVisible(true);
    grid.addItemClickListener(e -> open(e.getItem()));
  }

  void open(VmNetwork network) {
    getUI().ifPresent(ui -> ui.navigate(VmNetworkView.class, network.id().value().toString()));
  }

  private void openCreate() {
    NameDialog dialog =
        new NameDialog(
            "New VM network",
            "",
            "Create",
            name -> {
              VmNetwork n = networks.createVmNetwork(user.caller(), user.tenant(), name);
              open(n);
              return n;
            });
    dialog.open();
  }

  void refresh() {
    List<VmNetwork> items = networks.listVmNetworks(user.caller(), user.tenant());
    grid.setItems(items);
    grid.setVisible(!items.isEmpty());
    empty.setVisible(items.isEmpty());
  }
}
