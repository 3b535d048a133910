package io.weft.portal.ui.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import io.weft.dataplane.agent.AgentStatus;
import io.weft.dataplane.pipeline.CounterSnapshot;
import io.weft.dataplane.pipeline.DropReason;
import io.weft.dataplane.pipeline.PortCounters;
import io.weft.dataplane.table.TableJson;
import io.weft.fabric.AccessDeniedException;
import io.weft.fabric.AddressRange;
import io.weft.fabric.Caller;
import io.weft.fabric.HostId;
import io.weft.fabric.HostState;
import io.weft.fabric.NetworkService;
import io.weft.fabric.NewHost;
import io.weft.fabric.NewLogicalNetwork;
import io.weft.fabric.NewSubnet;
import io.weft.fabric.NewVm;
import io.weft.fabric.NewVnic;
import io.weft.fabric.Vm;
import io.weft.fabric.VmService;
import io.weft.fabric.tables.AgentReport;
import io.weft.fabric.tables.HostTableService;
import io.weft.portal.ui.BrowserlessViewTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The operator's view of the data plane: each host's table state and its agent's counters, a host's
 * detail with drops per reason and per-port counters, and live migrations with their
 * make-before-break steps. Agents are played here by reporting to {@link HostTableService} exactly
 * what the HTTP endpoint would pass on.
 */
class HostsAndMigrationsViewTest extends BrowserlessViewTest {

  @Autowired HostTableService tables;
  @Autowired NetworkService networks;
  @Autowired VmService vms;

  @Test
  void theHostsGridShowsLagDigestTrafficAndDropsAsTheAgentReported() {
    signIn("admin");
    HostId inSync = downHost("counted");
    HostId wrong = downHost("wrong-digest");
    CounterSnapshot counters =
        new CounterSnapshot(
            Map.of(
                "port-1",
                new PortCounters(40, 4000, 30, 3000, Map.of(DropReason.SPOOFED_SOURCE, 3L))),
            Map.of(DropReason.SPOOFED_SOURCE, 3L, DropReason.NO_ROUTE, 2L, DropReason.STORM, 1L),
            120,
            130);
    reportCurrent(inSync, counters);
    tables.reportApplied(
        wrong, new AgentReport(tables.generation(wrong), "not-the-digest", null, null));

    HostsView view = navigate(HostsView.class);
    HostsView.HostRow row = row(view, inSync);
    int index = view.grid.getListDataView().getItems().toList().indexOf(row);
    assertThat(test(view.grid).getCellComponent(index, 0).getElement().getTextRecursively())
        .contains("PA " + row.host().providerAddress());
    assertThat(row.host().providerAddress()).startsWith("10.");
    assertThat(test(view.grid).getCellText(index, 3)).endsWith("· in sync");
    assertThat(HostsView.digestPill(row.status()).getText()).isEqualTo("Matches");
    assertThat(test(view.grid).getCellText(index, 5)).isEqualTo("130 · 30");
    assertThat(test(view.grid).getCellText(index, 6)).isEqualTo("6");
    assertThat(row.counters().dropSummary())
        .isEqualTo("spoofed source 3 · no route 2 · storm limit 1");
    assertThat(test(view.grid).getCellText(index, 7)).endsWith("s ago");

    HostsView.HostRow bad = row(view, wrong);
    assertThat(HostsView.digestPill(bad.status()).getText()).isEqualTo("Differs");
    assertThat(bad.status().inSync()).isFalse();
    int badIndex = view.grid.getListDataView().getItems().toList().indexOf(bad);
    assertThat(test(view.grid).getCellText(badIndex, 5)).isEqualTo("—");
  }

  @Test
  void aHostsDetailShowsDropsPerReasonAndPortsWithTheirVm() {
    ensureReadyHost();
    TenantAdmin a = newTenant("Counted Co");
    Vm vm = vm(a, subnet(a, "10.21.0.0/24"), "web-counted");
    String port = vm.nics().getFirst().id().toString();
    signIn("admin");
    HostId host = downHost("detailed");
    reportCurrent(
        host,
        new CounterSnapshot(
            Map.of(
                port,
                new PortCounters(
                    12, 1200, 9, 900, Map.of(DropReason.DHCP_GUARD, 1L, DropReason.MALFORMED, 2L))),
            Map.of(
                DropReason.DHCP_GUARD, 1L, DropReason.MALFORMED, 2L, DropReason.UNKNOWN_VSID, 4L),
            5,
            7));

    HostDetailView view = navigate("operator/host/" + host, HostDetailView.class);
    assertThat(card("stat-applied-generation")).contains("lag 0");
    assertThat(card("stat-digest")).contains("Match");
    assertThat(card("stat-forwarded")).contains("7");
    assertThat(card("stat-delivered")).contains("9");
    assertThat(card("stat-dropped")).contains("7");

    var drops = test(view.drops);
    assertThat(drops.size()).isEqualTo(DropReason.values().length);
    Map<String, String> byReason = new java.util.HashMap<>();
    for (int i = 0; i < drops.size(); i++) {
      byReason.put(drops.getCellText(i, 0), drops.getCellText(i, 1));
    }
    assertThat(byReason)
        .containsEntry("Spoofed source", "0")
        .containsEntry("DHCP guard", "1")
        .containsEntry("Unknown VSID", "4")
        .containsEntry("No route", "0")
        .containsEntry("Malformed", "2")
        .containsEntry("Storm limit", "0");

    var ports = test(view.ports);
    assertThat(ports.size()).isEqualTo(1);
    assertThat(ports.getCellText(0, 0)).isEqualTo("web-counted");
    assertThat(ports.getCellText(0, 1)).isEqualTo("Counted Co");
    assertThat(ports.getCellText(0, 3)).isEqualTo("12");
    assertThat(ports.getCellText(0, 4)).isEqualTo("9");
    assertThat(ports.getCellText(0, 6)).isEqualTo("dhcp guard 1 · malformed 2");
  }

  @Test
  void aHostsDetailSaysWhetherItsUnderlayInterfaceCarriesThePa() {
    signIn("admin");
    HostId good = downHost("underlay-good");
    HostId drifted = downHost("underlay-drifted");
    HostId unchecked = downHost("underlay-unchecked");
    reportUnderlay(
        good,
        new AgentStatus.Underlay("eth1", "192.168.100.7", List.of("192.168.100.7/24"), true, null));
    reportUnderlay(
        drifted,
        new AgentStatus.Underlay(
            "eth1",
            "192.168.100.8",
            List.of("192.168.100.9/24"),
            false,
            "the PA 192.168.100.8 is not configured on eth1 (it has 192.168.100.9/24)"));
    reportUnderlay(unchecked, null);

    navigate("operator/host/" + good, HostDetailView.class);
    assertThat($(Paragraph.class).id("underlay").getText())
        .isEqualTo("Underlay: eth1 carries the PA 192.168.100.7 (192.168.100.7/24).");
    assertThat($(Paragraph.class).id("underlay").hasClassName("text-error")).isFalse();
    navigate("operator/host/" + drifted, HostDetailView.class);
    assertThat($(Paragraph.class).id("underlay").getText())
        .contains("not forwarding on eth1")
        .contains("192.168.100.8 is not configured on eth1 (it has 192.168.100.9/24)");
    assertThat($(Paragraph.class).id("underlay").hasClassName("text-error")).isTrue();
    navigate("operator/host/" + unchecked, HostDetailView.class);
    assertThat($(Paragraph.class).id("underlay").getText()).contains("not checked");
  }

  @Test
  void aHostThatNeverReportedSaysSoAndAnUnknownHostIsNotFound() {
    signIn("admin");
    HostId silent = downHost("silent");
    navigate("operator/host/" + silent, HostDetailView.class);
    assertThat($(Div.class).id("no-counters").getText()).contains("not reported");
    assertThat(card("stat-digest")).contains("no report from the agent yet");

    navigate("operator/host/" + UUID.randomUUID(), HostDetailView.class);
    assertThat($(com.vaadin.flow.component.orderedlayout.VerticalLayout.class).id("not-found"))
        .isNotNull();
    navigate("operator/host/not-an-id", HostDetailView.class);
    assertThat($(com.vaadin.flow.component.orderedlayout.VerticalLayout.class).id("not-found"))
        .isNotNull();
  }

  @Test
  void aLiveMigrationShowsItsMakeBeforeBreakStepsAsAgentsReport() {
    ensureReadyHost();
    TenantAdmin a = newTenant("Moving Co");
    var subnet = subnet(a, "10.22.0.0/24");
    Vm mover = vm(a, subnet, "mover");
    vm(a, subnet, "peer");
    Caller op = operator();
    HostId from = placement(mover);
    HostId to =
        hosts.listHosts(op).stream()
            .filter(h -> h.state() == HostState.READY && !h.id().equals(from))
            .findFirst()
            .orElseThrow()
            .id();
    vms.migrate(op, mover.id(), to);

    signIn("admin");
    navigate(MigrationsView.class);
    com.vaadin
        .flow
        .component
        .UI
        .getCurrent()
        .navigate(MigrationsView.class, MigrationsView.forVm(mover.id()));
    MigrationsView view = $(MigrationsView.class).single();
    assertThat(test(view.grid).size()).isEqualTo(1);
    assertThat(test(view.grid).getCellText(0, 1))
        .isEqualTo(hosts.getHost(op, from).name() + " → " + hosts.getHost(op, to).name());
    assertThat(test(view.grid).getCellText(0, 2)).isEqualTo("Port on destination");
    assertThat(view.filterNote.getText()).isEqualTo("Migrations of mover (Moving Co)");
    assertThat(view.isFollowingAMigration()).isTrue();
    var steps = test(view.timeline.steps);
    assertThat(steps.size()).isEqualTo(6);
    assertThat(steps.getCellText(0, 0)).isEqualTo("Started");
    assertThat(steps.getCellText(0, 3)).endsWith("ms");
    assertThat(steps.getCellText(1, 0)).isEqualTo("Destination port installed");
    assertThat(steps.getCellText(1, 3)).isEqualTo("pending");
    assertThat(view.timeline.staleWindow.getElement().getTextRecursively())
        .contains("not measured yet");

    // The agents catch up: destination first, then the peers, then the source.
    for (int round = 0; round < 6 && !finished(mover); round++) {
      for (var h : hosts.listHosts(op)) {
        if (h.state() == HostState.READY) {
          reportCurrent(h.id(), CounterSnapshot.EMPTY);
        }
      }
    }
    assertThat(finished(mover)).as("the migration finished once every agent reported").isTrue();

    view.refresh();
    assertThat(test(view.grid).getCellText(0, 2)).isEqualTo("Done");
    assertThat(view.isFollowingAMigration()).isFalse();
    steps = test(view.timeline.steps);
    List<String> titles = new java.util.ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      titles.add(steps.getCellText(i, 0));
      assertThat(steps.getCellText(i, 2))
          .as("time of %s", steps.getCellText(i, 0))
          .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
      assertThat(steps.getCellText(i, 3)).startsWith("+");
    }
    assertThat(titles)
        .containsExactly(
            "Started",
            "Destination port installed",
            "Peers switched",
            "Peers applied",
            "Source dropped",
            "Source applied");
    assertThat(view.timeline.staleWindow.getElement().getTextRecursively())
        .matches("Stale window: \\d+ ms");
    assertThat(view.timeline.picture.getElement().toString()).contains("Source applied");

    navigate("operator/host/" + to, HostDetailView.class);
    assertThat(test($(HostDetailView.class).single().migrations).getCellText(0, 0))
        .isEqualTo("mover");
  }

  @Test
  void aVmThatNeverMigratedShowsWhatToDoInsteadOfAnEmptyGrid() {
    ensureReadyHost();
    TenantAdmin a = newTenant("Settled Co");
    Vm settled = vm(a, subnet(a, "10.23.0.0/24"), "settled");
    signIn("admin");
    navigate(MigrationsView.class);
    com.vaadin
        .flow
        .component
        .UI
        .getCurrent()
        .navigate(MigrationsView.class, MigrationsView.forVm(settled.id()));
    MigrationsView view = $(MigrationsView.class).single();
    assertThat(view.grid.isVisible()).isFalse();
    assertThat(view.timeline.isVisible()).isFalse();
    var empty = $(com.vaadin.flow.component.orderedlayout.VerticalLayout.class).id("no-migrations");
    assertThat(empty.isVisible()).isTrue();
    assertThat(empty.getElement().getTextRecursively()).contains("Migrate a VM from All VMs");
    assertThat(view.filterNote.getText()).isEqualTo("Migrations of settled (Settled Co)");
    assertThat(view.isFollowingAMigration()).isFalse();
  }

  @Test
  void tenantsNeverSeeHostsCountersOrMigrations() {
    TenantAdmin a = newTenant("Nosy");
    HostId any = downHost("hidden");
    assertThatThrownBy(() -> tables.migrations(a.caller(), 10))
        .isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(() -> tables.lastReport(a.caller(), any))
        .isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(() -> tables.status(a.caller(), any))
        .isInstanceOf(AccessDeniedException.class);
    signIn(a.email());
    assertThatThrownBy(() -> navigate(MigrationsView.class)).isInstanceOf(Exception.class);
    assertThatThrownBy(() -> navigate("operator/host/" + any, HostDetailView.class))
        .isInstanceOf(Exception.class);
  }

  @Test
  void countersThatCannotBeReadSayWhyInsteadOfFailing() {
    assertThat(HostCounters.parse(null).present()).isFalse();
    HostCounters truncated = HostCounters.parse("{\"ports\":{\"p\":{\"rxFrames\":1");
    assertThat(truncated.present()).isFalse();
    assertThat(truncated.problem()).contains("could not be read");
    assertThat(HostCounters.compact(12_345)).isEqualTo("12.3k");
    assertThat(
            HostCounters.parse(TableJson.mapper().writeValueAsString(CounterSnapshot.EMPTY))
                .dropSummary())
        .isEqualTo("none");
  }

  private String card(String id) {
    return $(Div.class).id(id).getElement().getTextRecursively();
  }

  private boolean finished(Vm vm) {
    return tables.migrations(operator(), 50).stream()
        .filter(m -> m.vmId().equals(vm.id()))
        .findFirst()
        .filter(m -> "DONE".equals(m.phase()) && m.sourceAppliedAt() != null)
        .isPresent();
  }

  private HostId placement(Vm vm) {
    return vms.listAllVms(operator()).stream()
        .filter(v -> v.id().equals(vm.id()))
        .findFirst()
        .orElseThrow()
        .placement()
        .orElseThrow()
        .hostId();
  }

  /** An agent's report with the state of its underlay interface (null: it checks none). */
  private void reportUnderlay(HostId host, AgentStatus.Underlay underlay) {
    tables.reportApplied(
        host,
        new AgentReport(
            tables.generation(host),
            TableJson.digest(tables.intendedTable(host)),
            null,
            null,
            underlay == null ? null : TableJson.mapper().writeValueAsString(underlay)));
  }

  /** What an agent that applied the current intended table would report. */
  private void reportCurrent(HostId host, CounterSnapshot counters) {
    tables.reportApplied(
        host,
        new AgentReport(
            tables.generation(host),
            TableJson.digest(tables.intendedTable(host)),
            TableJson.mapper().writeValueAsString(counters),
            null));
  }

  /** A registered host that takes no placements (DOWN), in a logical network of its own. */
  private HostId downHost(String name) {
    Caller op = operator();
    int octet = ThreadLocalRandom.current().nextInt(100, 250);
    var network =
        hosts.createLogicalNetwork(
            op,
            new NewLogicalNetwork(
                name + "-" + UUID.randomUUID().toString().substring(0, 6),
                "10." + octet + "." + ThreadLocalRandom.current().nextInt(250) + ".0/24",
                "NVGRE",
                1500));
    var host =
        hosts.registerHost(
            op,
            new NewHost(
                name + "-" + UUID.randomUUID().toString().substring(0, 4),
                network.id().value().toString(),
                null,
                10));
    hosts.setHostState(op, host.host().id(), HostState.DOWN);
    return host.host().id();
  }

  private static HostsView.HostRow row(HostsView view, HostId id) {
    return view.grid
        .getListDataView()
        .getItems()
        .filter(r -> r.host().id().equals(id))
        .findFirst()
        .orElseThrow();
  }

  private io.weft.fabric.Subnet subnet(TenantAdmin a, String cidr) {
    var net = networks.createVmNetwork(a.caller(), a.tenant().id(), "n");
    String base = cidr.substring(0, cidr.lastIndexOf('.') + 1);
    return networks.createSubnet(
        a.caller(),
        a.tenant().id(),
        net.id(),
        new NewSubnet("s", cidr, new AddressRange(base + "10", base + "50"), List.of()));
  }

  private Vm vm(TenantAdmin a, io.weft.fabric.Subnet s, String name) {
    return vms.createVm(
        a.caller(),
        a.tenant().id(),
        new NewVm(name, List.of(new NewVnic(s.id().value().toString(), "STATIC", null))));
  }
}
