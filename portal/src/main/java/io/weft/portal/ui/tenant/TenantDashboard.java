package io.weft.portal.ui.tenant;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.theme.lumo.LumoUtility;
import io.weft.fabric.AuditEntry;
import io.weft.fabric.AuditLog;
import io.weft.fabric.Caller;
import io.weft.fabric.NetworkService;
import io.weft.fabric.Subnet;
import io.weft.fabric.Tenant;
import io.weft.fabric.TenantService;
import io.weft.fabric.TenantState;
import io.weft.fabric.Vm;
import io.weft.fabric.VmNetwork;
import io.weft.fabric.VmService;
import io.weft.fabric.identity.Role;
import io.weft.portal.ui.RecentAuditGrid;
import io.weft.portal.ui.StatCard;
import io.weft.portal.ui.Ui;
import java.util.ArrayList;
import java.util.List;

/** A tenant's overview: counts, quota use, IP utilisation per subnet, recent activity. */
public class TenantDashboard extends VerticalLayout {

  public TenantDashboard(
      Caller caller,
      TenantService tenants,
      NetworkService networks,
      VmService vms,
      AuditLog audit) {
    setPadding(false);
    var tenantId = caller.tenant().orElseThrow();
    Tenant tenant = tenants.get(caller, tenantId);
    List<VmNetwork> nets = networks.listVmNetworks(caller, tenantId);
    List<Subnet> subnets = new ArrayList<>();
    nets.forEach(n -> subnets.addAll(networks.listSubnets(caller, tenantId, n.id())));
    List<Vm> vmList = vms.listVms(caller, tenantId);
    int vnics = vmList.stream().mapToInt(v -> v.nics().size()).sum();

    Paragraph org = new Paragraph("Organisation " + tenant.name());
    org.addClassNames(LumoUtility.Margin.Top.NONE, LumoUtility.TextColor.SECONDARY);
    add(org);
    if (tenant.state() == TenantState.SUSPENDED) {
      Div warning =
          new Div("This organisation is suspended by the operator: you can look, but not change.");
      warning.addClassNames(
          LumoUtility.Padding.MEDIUM,
          LumoUtility.Background.ERROR_10,
          LumoUtility.TextColor.ERROR,
          LumoUtility.BorderRadius.MEDIUM);
      warning.setId("suspended-warning");
      add(warning);
    }
    FlexLayout stats =
        new FlexLayout(
            new StatCard("VM networks", Integer.toString(nets.size()), null),
            new StatCard("Subnets", Integer.toString(subnets.size()), null),
            new StatCard("VMs", Integer.toString(vmList.size()), pending(vmList)),
            new StatCard("vNICs", Integer.toString(vnics), null));
    stats.setWidthFull();
    stats.getStyle().set("gap", "var(--lumo-space-m)");
    add(stats);

    HorizontalLayout columns = new HorizontalLayout(utilisation(subnets), quotas(tenant));
    columns.setWidthFull();
    columns.getChildren().forEach(c -> ((com.vaadin.flow.component.HasSize) c).setWidth("50%"));
    add(columns);
    add(Ui.section("Recent activity"), activity(caller, audit, tenantId));
  }

  private static String pending(List<Vm> vms) {
    long pending = vms.stream().filter(v -> v.state() == io.weft.fabric.VmState.PENDING).count();
    return pending == 0 ? null : pending + " waiting for a host";
  }

  private static Component utilisation(List<Subnet> subnets) {
    VerticalLayout box = new VerticalLayout(Ui.section("IP utilisation per subnet"));
    box.setPadding(false);
    box.setSpacing(false);
    box.setId("subnet-utilisation");
    if (subnets.isEmpty()) {
      box.add(
          new Paragraph("No subnets yet. Add one to a VM network to see how full it is."),
          new RouterLink("Go to VM networks", VmNetworksView.class));
      return box;
    }
    for (Subnet s : subnets) {
      Span name = new Span(s.name() + " · " + s.cidr());
      name.setWidth("11em");
      HorizontalLayout row =
          new HorizontalLayout(
              name,
              Ui.usageBar(
                  s.utilisation().percent(),
                  s.utilisation().allocated()
                      + " of "
                      + s.utilisation().size()
                      + " ("
                      + String.format("%.1f", s.utilisation().percent())
                      + " %)"));
      row.setAlignItems(Alignment.CENTER);
      box.add(row);
    }
    return box;
  }

  private static Component quotas(Tenant tenant) {
    VerticalLayout box = new VerticalLayout(Ui.section("Quota use"));
    box.setPadding(false);
    box.setSpacing(false);
    box.setId("quota-use");
    var q = tenant.quotas();
    var u = tenant.usage();
    box.add(quota("VM networks", u.vmNetworks(), q.vmNetworks()));
    box.add(quota("Subnets", u.subnets(), q.subnets()));
    box.add(quota("VMs", u.vms(), q.vms()));
    box.add(quota("vNICs", u.vnics(), q.vnics()));
    return box;
  }

  private static Component quota(String label, int used, int limit) {
    Span name = new Span(label);
    name.setWidth("8em");
    double percent = limit == 0 ? 100 : 100.0 * used / limit;
    HorizontalLayout row = new HorizontalLayout(name, Ui.usageBar(percent, used + " of " + limit));
    row.setAlignItems(Alignment.CENTER);
    return row;
  }

  private static Component activity(
      Caller caller, AuditLog audit, io.weft.fabric.TenantId tenantId) {
    if (caller.role() != Role.TENANT_ADMIN) {
      return new Paragraph("Your organisation's administrators see its activity here.");
    }
    List<AuditEntry> entries = audit.recent(caller, tenantId, 8);
    if (entries.isEmpty()) {
      return new Paragraph("Nothing has happened yet.");
    }
    RecentAuditGrid grid = new RecentAuditGrid(entries);
    grid.setId("recent-activity");
    return grid;
  }
}
