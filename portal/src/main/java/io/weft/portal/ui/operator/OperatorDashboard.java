package io.weft.portal.ui.operator;

import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.RouterLink;
import io.weft.fabric.AuditEntry;
import io.weft.fabric.AuditLog;
import io.weft.fabric.Caller;
import io.weft.fabric.Host;
import io.weft.fabric.HostService;
import io.weft.fabric.HostState;
import io.weft.fabric.TenantService;
import io.weft.fabric.TenantState;
import io.weft.fabric.Utilisation;
import io.weft.fabric.VmService;
import io.weft.fabric.VmState;
import io.weft.portal.ui.RecentAuditGrid;
import io.weft.portal.ui.StatCard;
import io.weft.portal.ui.Ui;
import java.util.List;
import java.util.Map;

/** The operator's overview: tenants, hosts, VMs, VSID pool and the latest audit lines. */
public class OperatorDashboard extends VerticalLayout {

  public OperatorDashboard(
      Caller caller, TenantService tenants, VmService vms, HostService hosts, AuditLog audit) {
    setPadding(false);
    var tenantList = tenants.list(caller);
    List<Host> hostList = hosts.listHosts(caller);
    Map<VmState, Long> vmStates = vms.countVmsByState(caller);
    long vmCount = vmStates.values().stream().mapToLong(Long::longValue).sum();
    long suspended = tenantList.stream().filter(t -> t.state() == TenantState.SUSPENDED).count();
    long ready = hostList.stream().filter(h -> h.state() == HostState.READY).count();
    long pending = vmStates.get(VmState.PENDING);
    FlexLayout stats =
        new FlexLayout(
            new StatCard(
                "Tenants",
                Integer.toString(tenantList.size()),
                suspended == 0 ? null : suspended + " suspended"),
            new StatCard("Hosts", Long.toString(hostList.size()), ready + " ready"),
            new StatCard(
                "VMs",
                Long.toString(vmCount),
                pending == 0 ? null : pending + " waiting for a host"),
            new StatCard("VM slots", Integer.toString(slots(hostList)), "on ready hosts"));
    stats.setWidthFull();
    stats.getStyle().set("gap", "var(--lumo-space-m)");
    add(stats);
    Utilisation usage = hosts.vsidUsage(caller);
    HorizontalLayout vsid =
        new HorizontalLayout(
            new Paragraph("VSID pool"),
            Ui.usageBar(
                usage.percent(),
                usage.allocated()
                    + " of "
                    + usage.size()
                    + String.format(" in use (%.4f %%)", usage.percent())));
    vsid.setAlignItems(Alignment.CENTER);
    add(Ui.section("Capacity"), vsid);
    if (hostList.isEmpty()) {
      add(
          Ui.emptyState(
              com.vaadin.flow.component.icon.VaadinIcon.SERVER,
              "No hosts yet",
              "Create a logical network (a PA pool), then register hosts in it. VMs wait until a"
                  + " ready host has room.",
              new RouterLink("Logical networks", LogicalNetworksView.class)));
    }
    add(Ui.section("Latest audit lines"), recent(audit.recent(caller, null, 8)));
  }

  private static int slots(List<Host> hosts) {
    return hosts.stream()
        .filter(h -> h.state() == HostState.READY)
        .mapToInt(h -> Math.max(0, h.vmSlots() - h.vmCount()))
        .sum();
  }

  private static RecentAuditGrid recent(List<AuditEntry> entries) {
    RecentAuditGrid grid = new RecentAuditGrid(entries);
    grid.setEmptyStateText("Nothing recorded yet.");
    return grid;
  }
}
