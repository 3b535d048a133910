package io.weft.portal.ui.tenant;

import com.vaadin.flow.component.Svg;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.weft.fabric.NetworkService;
import io.weft.fabric.Subnet;
import io.weft.fabric.Vm;
import io.weft.fabric.VmService;
import io.weft.portal.ui.CurrentUser;
import io.weft.portal.ui.Ui;
import jakarta.annotation.security.RolesAllowed;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A picture of the tenant's VM networks, subnets and VMs, drawn on the server as SVG. */
@Route("topology")
@PageTitle("Topology · Weft")
@RolesAllowed({"TENANT_ADMIN", "TENANT_MEMBER"})
public class TopologyView extends VerticalLayout {

  final Svg picture = new Svg();
  private final NetworkService networks;
  private final VmService vms;
  private final CurrentUser user;
  private String svg;

  public TopologyView(NetworkService networks, VmService vms, CurrentUser user) {
    this.networks = networks;
    this.vms = vms;
    this.user = user;
    Ui.page(this);
    picture.setId("topology");
    picture.getElement().getStyle().set("width", "100%").set("display", "block");
    Button reload = new Button("Refresh", VaadinIcon.REFRESH.create(), e -> draw());
    add(
        Ui.header(
            "Topology",
            "Each dashed box is a VM network; its subnets are joined by the network's router.",
            reload));
    draw();
  }

  void draw() {
    var caller = user.caller();
    var tenant = user.tenant();
    List<Vm> all = vms.listVms(caller, tenant);
    Map<String, List<Vm>> bySubnet = new HashMap<>();
    for (Vm vm : all) {
      vm.nics().stream()
          .map(n -> n.subnetId().value().toString())
          .distinct()
          .forEach(s -> bySubnet.computeIfAbsent(s, k -> new ArrayList<>()).add(vm));
    }
    List<TopologySvg.NetworkPicture> pictures = new ArrayList<>();
    for (var n : networks.listVmNetworks(caller, tenant)) {
      List<Subnet> subnets = networks.listSubnets(caller, tenant, n.id());
      pictures.add(new TopologySvg.NetworkPicture(n, subnets, bySubnet));
    }
    getChildren()
        .filter(c -> c.getId().orElse("").equals("no-networks"))
        .toList()
        .forEach(this::remove);
    if (pictures.isEmpty()) {
      var empty =
          Ui.emptyState(
              VaadinIcon.SITEMAP,
              "Nothing to draw yet",
              "Create a VM network with a subnet and some VMs; they appear here.");
      empty.setId("no-networks");
      add(empty);
      remove(picture);
      svg = "";
      return;
    }
    svg = TopologySvg.render(pictures);
    picture.setSvg(svg);
    add(picture);
  }

  /** The SVG last drawn, for tests. */
  String svg() {
    return svg;
  }
}
