package io.weft.portal.ui.operator;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.weft.fabric.Encapsulation;
import io.weft.fabric.HostService;
import io.weft.fabric.LogicalNetwork;
import io.weft.fabric.NewLogicalNetwork;
import io.weft.portal.ui.CurrentUser;
import io.weft.portal.ui.Problems;
import io.weft.portal.ui.Ui;
import jakarta.annotation.security.RolesAllowed;
import java.util.Map;

/** Provider networks: each a PA pool with an encapsulation, where hosts are numbered. */
@Route("operator/logical-networks")
@PageTitle("Logical networks · Weft")
@RolesAllowed("OPERATOR")
public class LogicalNetworksView extends VerticalLayout {

  final Grid<LogicalNetwork> grid = new Grid<>(LogicalNetwork.class, false);
  final TextField name = new TextField("Name");
  final TextField paCidr = new TextField("PA pool (CIDR)");
  final Select<Encapsulation> encapsulation = new Select<>();
  final IntegerField mtu = new IntegerField("MTU");
  final Button create = Ui.primary("Create", VaadinIcon.PLUS);
  private final HostService hosts;
  private final CurrentUser user;

  public LogicalNetworksView(HostService hosts, CurrentUser user) {
    this.hosts = hosts;
    this.user = user;
    Ui.page(this);
    grid.setId("logical-networks-grid");
    grid.addColumn(LogicalNetwork::name).setHeader("Name").setAutoWidth(true);
    grid.addColumn(LogicalNetwork::paCidr).setHeader("PA pool").setAutoWidth(true);
    grid.addColumn(LogicalNetwork::encapsulation).setHeader("Encapsulation").setAutoWidth(true);
    grid.addColumn(LogicalNetwork::mtu).setHeader("MTU").setAutoWidth(true);
    grid.addColumn(LogicalNetwork::hostCount).setHeader("Hosts").setAutoWidth(true);
    grid.addComponentColumn(
            n -> {
              Button delete = new Button(VaadinIcon.TRASH.create(), e -> delete(n));
              delete.setAriaLabel("Delete " + n.name());
              delete.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE, ButtonVariant.LUMO_ERROR);
              return delete;
            })
        .setFlexGrow(0)
        .setAutoWidth(true);
    grid.setAllRowsVisible(true);
    grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
    grid.setEmptyStateText("No logical networks yet: create one below, then register hosts in it.");
    add(
        Ui.header("Logical networks", "Provider networks (sites, rack groups) and their PA pools"),
        grid,
        Ui.section("New logical network"),
        form());
    refresh();
  }

  private FormLayout form() {
    name.setId("ln-name");
    paCidr.setId("ln-cidr");
    paCidr.setPlaceholder("192.168.10.0/24");
    encapsulation.setLabel("Encapsulation");
    encapsulation.setItems(Encapsulation.values());
    encapsulation.setValue(Encapsulation.NVGRE);
    mtu.setValue(1500);
    create.setId("ln-create");
    create.addClickListener(e -> create());
    FormLayout form = new FormLayout(name, paCidr, encapsulation, mtu, create);
    form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 5));
    return form;
  }

  void create() {
    Problems.attempt(
            () ->
                hosts.createLogicalNetwork(
                    user.caller(),
                    new NewLogicalNetwork(
                        name.getValue().strip(),
                        paCidr.getValue().strip(),
                        encapsulation.getValue().name(),
                        mtu.getValue())),
            Map.of("name", name, "paCidr", paCidr, "encapsulation", encapsulation, "mtu", mtu))
        .ifPresent(n -> {
          name.clear();
          paCidr.clear();
          refresh();
        });
  }

  private void delete(LogicalNetwork n) {
    if (Problems.attempt(() -> hosts.deleteLogicalNetwork(user.caller(), n.id()))) {
      refresh();
    }
  }

  void refresh() {
    grid.setItems(hosts.listLogicalNetworks(user.caller()));
  }
}
