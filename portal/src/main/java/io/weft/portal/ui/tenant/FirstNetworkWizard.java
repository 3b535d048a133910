package io.weft.portal.ui.tenant;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.theme.lumo.LumoUtility;
import io.weft.fabric.NetworkService;
import io.weft.fabric.NewDhcpRange;
import io.weft.fabric.NewSubnet;
import io.weft.fabric.Subnet;
import io.weft.fabric.VmNetwork;
import io.weft.portal.ui.CurrentUser;
import io.weft.portal.ui.HomeView;
import io.weft.portal.ui.Problems;
import io.weft.portal.ui.Ui;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;
import java.util.Map;

/**
 * The first-network wizard: (1) name a VM network, (2) its first subnet with a DHCP range, both on
 * sensible defaults, then a summary with what to do next. Each step is created when the user moves
 * on, so a refusal shows at the field it concerns and nothing is created twice on a retry.
 */
@Route("welcome")
@PageTitle("Set up your first network · Weft")
@RolesAllowed({"TENANT_ADMIN", "TENANT_MEMBER"})
public class FirstNetworkWizard extends VerticalLayout {

  final TextField networkName = new TextField("VM network name");
  final TextField subnetName = new TextField("Subnet name");
  final TextField cidr = new TextField("Address space (CIDR)");
  final Checkbox dhcp = new Checkbox("Hand out addresses with DHCP", true);
  final TextField dhcpStart = new TextField("DHCP range from");
  final TextField dhcpEnd = new TextField("to");
  final Button next = Ui.primary("Next", VaadinIcon.ARROW_RIGHT);
  final Button skip = new Button("Skip for now");

  private final NetworkService networks;
  private final CurrentUser user;
  private final Span stepLabel = new Span();
  private final ProgressBar progress = new ProgressBar(0, 3, 1);
  private final VerticalLayout body = new VerticalLayout();
  private int step = 1;
  private VmNetwork network;
  private Subnet subnet;

  public FirstNetworkWizard(NetworkService networks, CurrentUser user) {
    this.networks = networks;
    this.user = user;
    Ui.page(this);
    setMaxWidth("760px");
    add(
        Ui.header(
            "Set up your first network",
            "Two short steps. The defaults work; change them if you already have a plan."));
    stepLabel.setId("wizard-step");
    stepLabel.addClassNames(LumoUtility.FontWeight.SEMIBOLD);
    progress.setWidthFull();
    body.setPadding(false);
    configureFields();
    next.setId("wizard-next");
    next.addClickListener(e -> next());
    skip.setId("wizard-skip");
    skip.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
    skip.addClickListener(e -> skip());
    HorizontalLayout buttons = new HorizontalLayout(next, skip);
    add(stepLabel, progress, body, buttons);
    showStep();
  }

  private void configureFields() {
    networkName.setId("wizard-network-name");
    networkName.setValue("Production");
    networkName.setHelperText(
        "A VM network is an isolated routing domain: its subnets reach each other, never another"
            + " network.");
    subnetName.setId("wizard-subnet-name");
    subnetName.setValue("servers");
    cidr.setId("wizard-cidr");
    cidr.setValue("10.0.0.0/24");
    cidr.addValueChangeListener(e -> suggestRange());
    dhcpStart.setId("wizard-dhcp-start");
    dhcpEnd.setId("wizard-dhcp-end");
    dhcp.setId("wizard-dhcp");
    dhcp.addValueChangeListener(e -> {
      dhcpStart.setEnabled(e.getValue());
      dhcpEnd.setEnabled(e.getValue());
    });
    suggestRange();
  }

  private void suggestRange() {
    Ipv4Defaults.dhcpRange(cidr.getValue())
        .ifPresent(r -> {
          dhcpStart.setValue(r.start());
          dhcpEnd.setValue(r.end());
        });
  }

  private void showStep() {
    body.removeAll();
    progress.setValue(step);
    switch (step) {
      case 1 -> {
        stepLabel.setText("Step 1 of 2 · Name your VM network");
        body.add(form(networkName));
      }
      case 2 -> {
        stepLabel.setText("Step 2 of 2 · Its first subnet");
        Paragraph p =
            new Paragraph(
                "Pick any private address space: it may overlap other organisations'. The gateway"
                    + " is the subnet's first address; DHCP VMs get an address from the range.");
        p.addClassNames(LumoUtility.TextColor.SECONDARY);
        body.add(p, form(subnetName, cidr, dhcp, dhcpStart, dhcpEnd));
        next.setText("Create network");
      }
      default -> {
        stepLabel.setText("Done · your network is ready");
        body.add(summary());
        next.setVisible(false);
        skip.setVisible(false);
      }
    }
  }

  /** Two columns; a field that stands alone on its row spans both. */
  private static FormLayout form(com.vaadin.flow.component.Component... fields) {
    FormLayout form = new FormLayout(fields);
    form.setResponsiveSteps(
        new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("500px", 2));
    for (var f : fields) {
      if (f instanceof Checkbox || fields.length == 1) {
        form.setColspan(f, 2);
      }
    }
    return form;
  }

  void next() {
    var caller = user.caller();
    var tenant = user.tenant();
    if (step == 1) {
      Problems.attempt(
              () ->
                  network == null
                      ? networks.createVmNetwork(caller, tenant, networkName.getValue().strip())
                      : networks.renameVmNetwork(
                          caller, tenant, network.id(), networkName.getValue().strip()),
              Map.of("name", networkName))
          .ifPresent(n -> {
            network = n;
            step = 2;
            showStep();
          });
    } else if (step == 2) {
      if (subnet == null) {
        subnet =
            Problems.attempt(
                    () ->
                        networks.createSubnet(
                            caller,
                            tenant,
                            network.id(),
                            new NewSubnet(
                                subnetName.getValue().strip(),
                                cidr.getValue().strip(),
                                null,
                                List.of())),
                    Map.of("name", subnetName, "cidr", cidr))
                .orElse(null);
      }
      if (subnet == null) {
        return;
      }
      if (dhcp.getValue()) {
        boolean added =
            Problems.attempt(
                    () ->
                        networks.addDhcpRange(
                            caller,
                            tenant,
                            subnet.id(),
                            new NewDhcpRange(
                                dhcpStart.getValue().strip(),
                                dhcpEnd.getValue().strip(),
                                null,
                                null)),
                    Map.of("start", dhcpStart, "end", dhcpEnd))
                .isPresent();
        if (!added) {
          return;
        }
      }
      step = 3;
      showStep();
    }
  }

  private VerticalLayout summary() {
    Paragraph what =
        new Paragraph(
            "VM network "
                + network.name()
                + " with subnet "
                + subnet.name()
                + " ("
                + subnet.cidr()
                + ", gateway "
                + subnet.gateway()
                + ", VSID "
                + subnet.vsid()
                + ")"
                + (dhcp.getValue()
                    ? " and DHCP from " + dhcpStart.getValue() + " to " + dhcpEnd.getValue()
                    : "")
                + ".");
    what.setId("wizard-summary");
    Button vm = Ui.primary("Create a VM", VaadinIcon.DESKTOP);
    vm.setId("wizard-create-vm");
    vm.addClickListener(e -> getUI().ifPresent(ui -> ui.navigate(VmsView.class)));
    Button open = new Button("Open the network", VaadinIcon.CLUSTER.create());
    open.setId("wizard-open-network");
    open.addClickListener(e ->
        getUI().ifPresent(ui -> ui.navigate(VmNetworkView.class, network.id().value().toString())));
    Button home =
        new Button("Dashboard", e -> getUI().ifPresent(ui -> ui.navigate(HomeView.class)));
    home.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
    VerticalLayout done = new VerticalLayout(what, new HorizontalLayout(vm, open, home));
    done.setPadding(false);
    return done;
  }

  void skip() {
    VaadinSession.getCurrent().setAttribute(HomeView.WIZARD_SKIPPED, Boolean.TRUE);
    getUI().ifPresent(ui -> ui.navigate(HomeView.class));
  }
}
