package io.weft.portal.ui.operator;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEvent;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.HasUrlParameter;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.theme.lumo.LumoUtility;
import io.weft.dataplane.pipeline.DropReason;
import io.weft.dataplane.pipeline.PortCounters;
import io.weft.fabric.Caller;
import io.weft.fabric.Host;
import io.weft.fabric.HostId;
import io.weft.fabric.HostService;
import io.weft.fabric.NotFoundException;
import io.weft.fabric.TenantService;
import io.weft.fabric.VmService;
import io.weft.fabric.tables.AgentReport;
import io.weft.fabric.tables.HostTableService;
import io.weft.fabric.tables.HostTableStatus;
import io.weft.fabric.tables.MigrationRecord;
import io.weft.portal.ui.CurrentUser;
import io.weft.portal.ui.StatCard;
import io.weft.portal.ui.Ui;
import jakarta.annotation.security.RolesAllowed;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One host for operators: its table state (generation applied against intended, lag, digest), what
 * its agent last reported (traffic totals, drops per reason, counters per port with the VM behind
 * each port) and the live migrations into or out of it.
 */
@Route("operator/host")
@RolesAllowed("OPERATOR")
public class HostDetailView extends VerticalLayout
    implements HasUrlParameter<String>, HasDynamicTitle {

  /** A port's counters with the VM and vNIC behind it. */
  record PortRow(String portId, String vm, String tenant, String address, PortCounters counters) {}

  /** A drop reason with its count on this host. */
  record DropRow(DropReason reason, long count) {}

  final Grid<DropRow> drops = new Grid<>(DropRow.class, false);
  final Grid<PortRow> ports = new Grid<>(PortRow.class, false);
  final Grid<MigrationRecord> migrations = new Grid<>(MigrationRecord.class, false);
  private final HostService hosts;
  private final HostTableService tables;
  private final VmService vms;
  private final TenantService tenants;
  private final CurrentUser user;
  private Host host;
  private OperatorDirectory names;
  private HostCounters counters = HostCounters.NOT_REPORTED;

  public HostDetailView(
      HostService hosts,
      HostTableService tables,
      VmService vms,
      TenantService tenants,
      CurrentUser user) {
    this.hosts = hosts;
    this.tables = tables;
    this.vms = vms;
    this.tenants = tenants;
    this.user = user;
    Ui.page(this);
    configureGrids();
  }

  @Override
  public void setParameter(BeforeEvent event, String id) {
    removeAll();
    Caller caller = user.caller();
    try {
      host = hosts.getHost(caller, HostId.parse(id));
    } catch (NotFoundException | io.weft.fabric.InvalidRequestException e) {
      host = null;
      var notFound =
          Ui.emptyState(
              VaadinIcon.QUESTION_CIRCLE,
              "Host not found",
              "It does not exist, or it was removed.",
              new RouterLink("Back to hosts", HostsView.class));
      notFound.setId("not-found");
      add(notFound);
      return;
    }
    build(caller);
  }

  @Override
  public String getPageTitle() {
    return (host == null ? "Host not found" : host.name()) + " · Weft";
  }

  private void build(Caller caller) {
    HostTableStatus status = tables.status(caller, host.id());
    Optional<AgentReport> report = tables.lastReport(caller, host.id());
    counters =
        report.map(r -> HostCounters.parse(r.countersJson())).orElse(HostCounters.NOT_REPORTED);
    List<MigrationRecord> touching =
        tables.migrations(caller, MigrationsView.LIMIT).stream()
            .filter(m -> m.from().equals(host.id()) || m.to().equals(host.id()))
            .limit(10)
            .toList();
    names =
        OperatorDirectory.load(
            caller,
            hosts,
            vms,
            tenants,
            touching.stream().map(MigrationRecord::vmId).toList(),
            counters.present() ? counters.ports().keySet() : List.of());
    Button back = new Button("All hosts", VaadinIcon.ARROW_LEFT.create());
    back.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
    back.addClickListener(e -> getUI().ifPresent(ui -> ui.navigate(HostsView.class)));
    Button reload = new Button("Refresh", VaadinIcon.REFRESH.create());
    reload.addClickListener(e -> setParameter(null, host.id().toString()));
    String network =
        hosts.listLogicalNetworks(caller).stream()
            .filter(n -> n.id().equals(host.logicalNetworkId()))
            .map(n -> n.name() + " (" + n.encapsulation() + ")")
            .findFirst()
            .orElse("");
    add(
        Ui.header(
            "Host " + host.name(),
            "PA " + host.providerAddress() + " · logical network " + network,
            back,
            reload),
        stateCards(status));
    if (status.lastRejection() != null) {
      Paragraph refused = new Paragraph("The agent refused a table: " + status.lastRejection());
      refused.addClassNames(LumoUtility.TextColor.ERROR);
      refused.setId("last-rejection");
      add(refused);
    }
    UnderlayLine underlay = UnderlayLine.of(report);
    Paragraph underlayLine = new Paragraph(underlay.text());
    if (underlay.problem()) {
      underlayLine.addClassNames(LumoUtility.TextColor.ERROR);
    }
    underlayLine.setId("underlay");
    add(underlayLine);
    add(Ui.section("Traffic"));
    if (counters.present()) {
      drops.setItems(
          HostCounters.REASONS.stream().map(r -> new DropRow(r, counters.dropped(r))).toList());
      List<PortRow> portRows =
          counters.ports().entrySet().stream()
              .map(e -> portRow(names, e.getKey(), e.getValue()))
              .sorted(Comparator.comparing(PortRow::vm))
              .toList();
      ports.setItems(portRows);
      add(
          trafficCards(),
          Ui.section("Drops by reason"),
          drops,
          Ui.section("Ports"),
          portRows.isEmpty() ? hint("No vNIC ports on this host.", "no-ports") : ports);
    } else {
      add(hint(counters.problem(), "no-counters"));
    }
    migrations.setItems(touching);
    add(
        Ui.section("Live migrations in or out"),
        touching.isEmpty()
            ? hint("No VM has migrated to or from this host.", "no-host-migrations")
            : migrations);
  }

  private HorizontalLayout stateCards(HostTableStatus s) {
    HorizontalLayout cards =
        new HorizontalLayout(
            new StatCard(
                "State", HostsView.state(host.state()), "registered " + Ui.time(host.createdAt())),
            new StatCard(
                "VMs", host.vmCount() + " / " + host.vmSlots(), "slots in use on this host"),
            new StatCard(
                "Applied generation",
                s.appliedGeneration() < 0 ? "—" : Long.toString(s.appliedGeneration()),
                "intended " + s.intendedGeneration() + " · lag " + s.lag()),
            new StatCard(
                "Digest",
                s.appliedDigest() == null
                    ? "—"
                    : s.intendedDigest() != null && s.intendedDigest().equals(s.appliedDigest())
                        ? "Match"
                        : "Differs",
                s.appliedDigest() == null
                    ? "no report from the agent yet"
                    : "applied table vs intended table"),
            new StatCard("Last seen", Ui.ago(s.lastSeenAt()), Ui.time(s.lastSeenAt())));
    fitFiveInARow(cards);
    cards.setId("host-state");
    return cards;
  }

  private HorizontalLayout trafficCards() {
    HorizontalLayout cards =
        new HorizontalLayout(
            new StatCard(
                "From VMs", HostCounters.compact(counters.fromVms()), "frames sent by local vNICs"),
            new StatCard(
                "Forwarded",
                HostCounters.compact(counters.forwardedToUnderlay()),
                "encapsulated to other hosts"),
            new StatCard(
                "Received",
                HostCounters.compact(counters.receivedFromUnderlay()),
                "from other hosts over the underlay"),
            new StatCard(
                "Delivered",
                HostCounters.compact(counters.deliveredToVms()),
                "frames delivered to local vNICs"),
            new StatCard(
                "Dropped", HostCounters.compact(counters.dropped()), counters.dropSummary()));
    fitFiveInARow(cards);
    cards.setId("host-traffic");
    return cards;
  }

  /** Five cards side by side at 1280 px; they wrap on narrower windows. */
  private static void fitFiveInARow(HorizontalLayout cards) {
    cards.setWidthFull();
    cards.setWrap(true);
    cards.getChildren().forEach(c -> ((StatCard) c).setMinWidth("8em"));
  }

  private static PortRow portRow(OperatorDirectory names, String portId, PortCounters c) {
    var vm = names.vmOfPort(portId);
    return new PortRow(
        portId,
        vm.map(v -> v.name()).orElse("unknown port " + portId),
        vm.map(v -> names.tenantNames().getOrDefault(v.tenantId().value().toString(), ""))
            .orElse(""),
        names
            .vnic(portId)
            .map(n -> n.address() == null ? "(DHCP pending)" : n.address())
            .orElse("—"),
        c);
  }

  private void configureGrids() {
    drops.setId("host-drops");
    drops
        .addColumn(r -> HostCounters.label(r.reason()))
        .setHeader("Reason")
        .setAutoWidth(true)
        .setFlexGrow(0);
    drops.addColumn(DropRow::count).setHeader("Dropped").setAutoWidth(true).setFlexGrow(0);
    drops.addColumn(r -> HostCounters.meaning(r.reason())).setHeader("What it means");

    drops.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
    drops.setAllRowsVisible(true);

    ports.setId("host-ports");
    ports.addColumn(PortRow::vm).setHeader("VM").setAutoWidth(true).setSortable(true);
    ports.addColumn(PortRow::tenant).setHeader("Tenant").setAutoWidth(true);
    ports.addColumn(PortRow::address).setHeader("Address").setAutoWidth(true);
    ports
        .addColumn(r -> HostCounters.compact(r.counters().rxFrames()))
        .setHeader("From VM")
        .setTooltipGenerator(r -> HostCounters.bytes(r.counters().rxBytes()));
    ports
        .addColumn(r -> HostCounters.compact(r.counters().txFrames()))
        .setHeader("To VM")
        .setTooltipGenerator(r -> HostCounters.bytes(r.counters().txBytes()));
    ports
        .addColumn(r -> HostCounters.bytes(r.counters().rxBytes() + r.counters().txBytes()))
        .setHeader("Bytes");
    ports.addColumn(r -> portDrops(r.counters())).setHeader("Drops").setAutoWidth(true);
    ports.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
    ports.setAllRowsVisible(true);

    migrations.setId("host-migrations");
    migrations.addColumn(m -> names.vmName(m.vmId())).setHeader("VM").setAutoWidth(true);
    migrations
        .addColumn(m ->
            m.to().equals(host.id())
                ? "in from " + names.hostName(m.from())
                : "out to " + names.hostName(m.to()))
        .setHeader("Direction")
        .setAutoWidth(true);
    migrations
        .addColumn(m -> MigrationsView.phase(m.phase()))
        .setHeader("Phase")
        .setAutoWidth(true);
    migrations.addColumn(m -> Ui.time(m.startedAt())).setHeader("Started").setAutoWidth(true);
    migrations
        .addComponentColumn(m -> {
          RouterLink link = new RouterLink("Timeline", MigrationsView.class);
          link.setQueryParameters(MigrationsView.forVm(m.vmId()));
          return link;
        })
        .setAutoWidth(true);
    migrations.addThemeVariants(GridVariant.LUMO_COMPACT);
    migrations.setAllRowsVisible(true);
  }

  /** "none" or "spoofed source 3 · storm limit 1". */
  static String portDrops(PortCounters c) {
    StringBuilder out = new StringBuilder();
    for (DropReason r : HostCounters.REASONS) {
      long n = c.dropped(r);
      if (n > 0) {
        out.append(out.isEmpty() ? "" : " · ")
            .append(HostCounters.label(r).toLowerCase())
            .append(' ')
            .append(n);
      }
    }
    return out.isEmpty() ? "none" : out.toString();
  }

  private static Div hint(String text, String id) {
    Div d = new Div(text);
    d.setId(id);
    d.addClassNames(LumoUtility.TextColor.SECONDARY, LumoUtility.FontSize.SMALL);
    return d;
  }
}
