package io.weft.portal.ui.tenant;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEvent;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.HasUrlParameter;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.theme.lumo.LumoUtility;
import io.weft.fabric.DhcpRange;
import io.weft.fabric.NetworkService;
import io.weft.fabric.NewDhcpRange;
import io.weft.fabric.NotFoundException;
import io.weft.fabric.Subnet;
import io.weft.fabric.VmNetwork;
import io.weft.fabric.VmNetworkId;
import io.weft.portal.ui.CurrentUser;
import io.weft.portal.ui.NameDialog;
import io.weft.portal.ui.Problems;
import io.weft.portal.ui.Ui;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One VM network: its subnets (CIDR, VSID, gateway, static range, utilisation) and the DHCP ranges
 * of the selected subnet. Another tenant's network, or one that does not exist, is "not found".
 */
@Route("network")
@RolesAllowed({"TENANT_ADMIN", "TENANT_MEMBER"})
public class VmNetworkView extends VerticalLayout
    implements HasUrlParameter<String>, HasDynamicTitle {

  final Grid<Subnet> subnets = new Grid<>(Subnet.class, false);
  final Grid<DhcpRange> ranges = new Grid<>(DhcpRange.class, false);
  final Button addSubnet = Ui.primary("Add subnet", VaadinIcon.PLUS);
  final TextField dhcpStart = new TextField("From");
  final TextField dhcpEnd = new TextField("To");
  final Button addRange = new Button("Add DHCP range", VaadinIcon.PLUS.create());

  private final NetworkService networks;
  private final CurrentUser user;
  private final VerticalLayout dhcpSection = new VerticalLayout();
  private final Paragraph dhcpTitle = new Paragraph();
  private VmNetwork network;
  private Subnet selected;

  public VmNetworkView(NetworkService networks, CurrentUser user) {
    this.networks = networks;
    this.user = user;
    Ui.page(this);
  }

  @Override
  public void setParameter(BeforeEvent event, String id) {
    removeAll();
    try {
      network =
          networks.getVmNetwork(user.caller(), user.tenant(), new VmNetworkId(UUID.fromString(id)));
    } catch (NotFoundException | IllegalArgumentException e) {
      network = null;
      showNotFound();
      return;
    }
    build();
  }

  @Override
  public String getPageTitle() {
    return (network == null ? "Not found" : network.name()) + " · Weft";
  }

  private void showNotFound() {
    add(
        Ui.emptyState(
            VaadinIcon.QUESTION_CIRCLE,
            "VM network not found",
            "It does not exist, or it is not one of your organisation's networks.",
            new RouterLink("Back to your VM networks", VmNetworksView.class)));
    getChildren().reduce((a, b) -> b).ifPresent(c -> c.setId("not-found"));
  }

  private void build() {
    Button rename = new Button("Rename", VaadinIcon.EDIT.create(), e -> rename());
    rename.setId("rename-network");
    Button delete = new Button("Delete", VaadinIcon.TRASH.create(), e -> confirmDelete());
    delete.setId("delete-network");
    delete.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
    addSubnet.setId("add-subnet");
    addSubnet.addClickListener(e -> openAddSubnet());
    RouterLink back = new RouterLink("← All VM networks", VmNetworksView.class);
    add(
        back,
        Ui.header(
            network.name(),
            "VM network · subnets here route to each other and to nothing else",
            rename,
            delete,
            addSubnet));
    configureSubnets();
    configureDhcp();
    add(subnets, dhcpSection);
    refresh();
  }

  private void configureSubnets() {
    subnets.setId("subnets-grid");
    subnets.addColumn(Subnet::name).setHeader("Subnet").setAutoWidth(true);
    subnets.addColumn(Subnet::cidr).setHeader("CIDR").setAutoWidth(true);
    subnets.addColumn(Subnet::vsid).setHeader("VSID").setAutoWidth(true);
    subnets.addColumn(Subnet::gateway).setHeader("Gateway").setAutoWidth(true);
    subnets
        .addColumn(s ->
            s.staticRange() == null ? "—" : s.staticRange().start() + " – " + s.staticRange().end())
        .setHeader("Static range")
        .setAutoWidth(true);
    subnets
        .addComponentColumn(s ->
            Ui.usageBar(
                s.utilisation().percent(),
                s.utilisation().allocated() + " / " + s.utilisation().size()))
        .setHeader("Addresses in use")
        .setAutoWidth(true);
    subnets.addComponentColumn(this::subnetActions).setHeader("").setAutoWidth(true).setFlexGrow(0);
    subnets.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
    subnets.setAllRowsVisible(true);
    subnets.asSingleSelect().addValueChangeListener(e -> select(e.getValue()));
  }

  private HorizontalLayout subnetActions(Subnet s) {
    Button rename = new Button(VaadinIcon.EDIT.create(), e -> renameSubnet(s));
    rename.setAriaLabel("Rename subnet " + s.name());
    rename.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE);
    Button delete = new Button(VaadinIcon.TRASH.create(), e -> deleteSubnet(s));
    delete.setAriaLabel("Delete subnet " + s.name());
    delete.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE, ButtonVariant.LUMO_ERROR);
    return new HorizontalLayout(rename, delete);
  }

  private void configureDhcp() {
    dhcpTitle.addClassNames(LumoUtility.FontWeight.SEMIBOLD, LumoUtility.Margin.NONE);
    ranges.setId("dhcp-grid");
    ranges.addColumn(DhcpRange::start).setHeader("From").setAutoWidth(true);
    ranges.addColumn(DhcpRange::end).setHeader("To").setAutoWidth(true);
    ranges.addColumn(r -> r.leaseSeconds() / 3600 + " h").setHeader("Lease").setAutoWidth(true);
    ranges
        .addColumn(r -> r.dnsServers() == null ? "" : String.join(", ", r.dnsServers()))
        .setHeader("DNS")
        .setAutoWidth(true);
    ranges
        .addComponentColumn(r ->
            Ui.usageBar(
                r.utilisation().percent(),
                r.utilisation().allocated() + " / " + r.utilisation().size() + " leased"))
        .setHeader("Leased")
        .setAutoWidth(true);
    ranges
        .addComponentColumn(r -> {
          Button delete = new Button(VaadinIcon.TRASH.create(), e -> deleteRange(r));
          delete.setAriaLabel("Delete DHCP range " + r.start());
          delete.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE, ButtonVariant.LUMO_ERROR);
          return delete;
        })
        .setFlexGrow(0)
        .setAutoWidth(true);
    ranges.setAllRowsVisible(true);
    ranges.addThemeVariants(GridVariant.LUMO_COMPACT);
    dhcpStart.setId("dhcp-start");
    dhcpEnd.setId("dhcp-end");
    addRange.setId("dhcp-add");
    addRange.addClickListener(e -> addRange());
    HorizontalLayout form = new HorizontalLayout(dhcpStart, dhcpEnd, addRange);
    form.setAlignItems(FlexComponent.Alignment.BASELINE);
    dhcpSection.setPadding(false);
    dhcpSection.setId("dhcp-section");
    dhcpSection.add(Ui.section("DHCP"), dhcpTitle, ranges, form);
    dhcpSection.setVisible(false);
  }

  void refresh() {
    Subnet keep = selected; // setItems clears the grid's selection, and with it this field
    List<Subnet> items = networks.listSubnets(user.caller(), user.tenant(), network.id());
    subnets.setItems(items);
    if (items.isEmpty()) {
      subnets.setVisible(false);
      if (getChildren().noneMatch(c -> c.getId().orElse("").equals("no-subnets"))) {
        var empty =
            Ui.emptyState(
                VaadinIcon.CONNECT,
                "No subnets yet",
                "Add a subnet to give this network an address space, then create VMs in it.",
                new Button("Add subnet", e -> openAddSubnet()));
        empty.setId("no-subnets");
        addComponentAtIndex(2, empty);
      }
    } else {
      subnets.setVisible(true);
      getChildren()
          .filter(c -> c.getId().orElse("").equals("no-subnets"))
          .toList()
          .forEach(this::remove);
      Subnet again =
          items.stream()
              .filter(s -> keep != null && s.id().equals(keep.id()))
              .findFirst()
              .orElse(items.getFirst());
      subnets.select(again);
    }
  }

  void select(Subnet subnet) {
    selected = subnet;
    dhcpSection.setVisible(subnet != null);
    if (subnet == null) {
      return;
    }
    dhcpTitle.setText("Ranges of subnet " + subnet.name() + " (" + subnet.cidr() + ")");
    List<DhcpRange> items = networks.listDhcpRanges(user.caller(), user.tenant(), subnet.id());
    ranges.setItems(items);
    ranges.setVisible(!items.isEmpty());
    if (items.isEmpty()) {
      Ipv4Defaults.dhcpRange(subnet.cidr())
          .ifPresent(r -> {
            dhcpStart.setValue(r.start());
            dhcpEnd.setValue(r.end());
          });
      dhcpTitle.setText(
          "Subnet "
              + subnet.name()
              + " has no DHCP range: DHCP VMs in it get no address until you"
              + " add one.");
    }
  }

  void openAddSubnet() {
    SubnetDialog dialog =
        new SubnetDialog(
            "",
            request -> networks.createSubnet(user.caller(), user.tenant(), network.id(), request),
            created -> {
              selected = created;
              refresh();
              Problems.success("Subnet " + created.name() + " added with VSID " + created.vsid());
            });
    dialog.open();
  }

  void addRange() {
    Problems.attempt(
            () ->
                networks.addDhcpRange(
                    user.caller(),
                    user.tenant(),
                    selected.id(),
                    new NewDhcpRange(
                        dhcpStart.getValue().strip(), dhcpEnd.getValue().strip(), null, null)),
            Map.of("start", dhcpStart, "end", dhcpEnd, "range", dhcpStart))
        .ifPresent(r -> {
          dhcpStart.clear();
          dhcpEnd.clear();
          refresh();
        });
  }

  private void deleteRange(DhcpRange range) {
    if (Problems.attempt(
        () -> networks.deleteDhcpRange(user.caller(), user.tenant(), range.id()))) {
      refresh();
    }
  }

  private void rename() {
    new NameDialog(
            "Rename VM network",
            network.name(),
            "Rename",
            name -> {
              network = networks.renameVmNetwork(user.caller(), user.tenant(), network.id(), name);
              removeAll();
              build();
              return network;
            })
        .open();
  }

  private void renameSubnet(Subnet s) {
    new NameDialog(
            "Rename subnet",
            s.name(),
            "Rename",
            name -> {
              Subnet renamed = networks.renameSubnet(user.caller(), user.tenant(), s.id(), name);
              refresh();
              return renamed;
            })
        .open();
  }

  private void deleteSubnet(Subnet s) {
    confirm(
        "Delete subnet " + s.name() + "?",
        "Its DHCP ranges go with it. A subnet that VMs still use cannot be deleted.",
        () -> {
          if (Problems.attempt(() -> networks.deleteSubnet(user.caller(), user.tenant(), s.id()))) {
            selected = null;
            refresh();
          }
        });
  }

  private void confirmDelete() {
    confirm(
        "Delete VM network " + network.name() + "?",
        "A network that still has subnets cannot be deleted: delete its subnets first.",
        () -> {
          if (Problems.attempt(
              () -> networks.deleteVmNetwork(user.caller(), user.tenant(), network.id()))) {
            getUI().ifPresent(ui -> ui.navigate(VmNetworksView.class));
          }
        });
  }

  private static void confirm(String header, String text, Runnable action) {
    ConfirmDialog dialog = new ConfirmDialog();
    dialog.setHeader(header);
    dialog.setText(text);
    dialog.setCancelable(true);
    dialog.setConfirmText("Delete");
    dialog.setConfirmButtonTheme("error primary");
    dialog.addConfirmListener(e -> action.run());
    dialog.open();
  }
}
