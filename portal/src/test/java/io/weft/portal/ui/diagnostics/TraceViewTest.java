package io.weft.portal.ui.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.html.ListItem;
import io.weft.dataplane.table.TableJson;
import io.weft.fabric.Host;
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
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The diagnostics page as a tenant uses it, and as another tenant tries to abuse it. */
class TraceViewTest extends BrowserlessViewTest {

  @Autowired NetworkService networks;
  @Autowired VmService vms;
  @Autowired HostTableService tables;

  private static final String HOST = "diag-view-host-";

  /**
   * This class's own two READY hosts, made once per application context. Each has the most VM slots
   * a host may have, so placement (most free slots first) puts this class's VMs on them whatever
   * hosts other classes sharing the context left behind: when it took any READY host, a host of
   * ReconciliationApiOnH2Test's run before it got the VMs and the trace was dropped there.
   */
  private List<Host> readyHosts() {
    var op = operator();
    List<Host> own = ownHosts();
    if (own.size() == 2) {
      return own;
    }
    var ln =
        hosts.createLogicalNetwork(
            op, new NewLogicalNetwork("diag-view-site", "192.168.211.0/24", "NVGRE", 1500));
    for (int i = 1; i <= 2; i++) {
      var h = hosts.registerHost(op, new NewHost(HOST + i, ln.id().toString(), null, 4096));
      hosts.setHostState(op, h.host().id(), HostState.READY);
    }
    return ownHosts();
  }

  private List<Host> ownHosts() {
    return hosts.listHosts(operator()).stream()
        .filter(h -> h.name().startsWith(HOST))
        .sorted(java.util.Comparator.comparing(Host::name))
        .toList();
  }

  private List<Vm> twoVms(TenantAdmin a) {
    List<Host> own = readyHosts();
    var net = networks.createVmNetwork(a.caller(), a.tenant().id(), "prod");
    var web =
        networks.createSubnet(
            a.caller(), a.tenant().id(), net.id(), new NewSubnet("web", "10.0.0.0/24", null, null));
    Vm one = vm(a, "one", web.id().toString(), "10.0.0.10");
    Vm two = vm(a, "two", web.id().toString(), "10.0.0.11");
    assertThat(List.of(hostOf(one), hostOf(two)))
        .as("placed one on each of this class's hosts")
        .containsExactlyInAnyOrderElementsOf(own.stream().map(Host::id).toList());
    for (Host h : own) { // only this class's hosts: a report makes a REGISTERING host READY
      var table = tables.intendedTable(h.id());
      tables.reportApplied(
          h.id(), new AgentReport(table.generation(), TableJson.digest(table), null, null));
    }
    return List.of(one, two);
  }

  private io.weft.fabric.HostId hostOf(Vm vm) {
    return vms.getVm(operator(), vm.tenantId(), vm.id())
        .placement()
        .orElseThrow(() -> new AssertionError(vm.name() + " placed on no host"))
        .hostId();
  }

  private Vm vm(TenantAdmin a, String name, String subnet, String address) {
    return vms.createVm(
        a.caller(),
        a.tenant().id(),
        new NewVm(name, List.of(new NewVnic(subnet, "STATIC", address))));
  }

  @Test
  void aTenantTracesBetweenItsVmsAndSeesTheSentenceAndThePathWithoutHostNames() {
    TenantAdmin a = newTenant("Trace Ltd");
    List<Vm> pair = twoVms(a);
    signIn(a.email());
    TraceView view = navigate(TraceView.class);
    var choice =
        view.source
            .getListDataView()
            .getItems()
            .filter(c -> c.label().startsWith("one"))
            .findFirst()
            .orElseThrow();
    test(view.source).selectItem(choice.label());
    test(view.destination).setValue("10.0.0.11");
    test($(com.vaadin.flow.component.button.Button.class).id("trace-run")).click();

    assertThat(view.summary.getText())
        .startsWith("Reachable: ICMP echo, 84 bytes from VM one (10.0.0.10) reaches VM two");
    String svg = TracePathSvg.render(view.answer());
    assertThat(svg).contains("<svg").contains("the destination host").contains("DECAPSULATE");
    for (Host h : hosts.listHosts(operator())) {
      assertThat(svg).doesNotContain(h.name()).doesNotContain(h.providerAddress());
    }
    assertThat(view.blockers.getChildren().map(c -> ((ListItem) c).getText()))
        .containsExactly("None.");
    assertThat(pair).hasSize(2);
  }

  @Test
  void operatorsSeeTableDriftOnTheDashboardAndOnItsPage() {
    var host = readyHosts().getFirst();
    long intended = tables.generation(host.id());
    tables.reportApplied(host.id(), new AgentReport(intended, "sha256:bogus", null, null));
    signIn("admin");
    DriftView view = navigate(DriftView.class);
    test($(com.vaadin.flow.component.button.Button.class).id("drift-audit-now")).click();
    assertThat(view.headline.getText()).contains("hosts drift");
    assertThat(view.hosts.getListDataView().getItems())
        .anySatisfy(h -> {
          assertThat(h.hostName()).isEqualTo(host.name());
          assertThat(h.summary()).contains("sha256:bogus");
        });
    navigate(io.weft.portal.ui.HomeView.class);
    assertThat(
            $(com.vaadin.flow.component.html.Div.class)
                .id("drift-banner")
                .getElement()
                .getTextRecursively())
        .contains(host.name() + " (DIVERGED)");
  }

  @Test
  void anotherTenantsVnicInTheAddressIsNotFoundAndNothingIsTraced() {
    TenantAdmin victim = newTenant("Victim Ltd");
    Vm target = twoVms(victim).getFirst();
    TenantAdmin attacker = newTenant("Attacker Ltd");
    signIn(attacker.email());
    com.vaadin
        .flow
        .component
        .UI
        .getCurrent()
        .navigate(
            "diagnostics",
            com.vaadin.flow.router.QueryParameters.simple(
                java.util.Map.of(
                    "vnic", target.nics().getFirst().id().toString(), "to", "10.0.0.11")));
    TraceView view = $(TraceView.class).single();
    assertThat(view.source.isInvalid()).isTrue();
    assertThat(view.source.getErrorMessage()).isEqualTo("No such vNIC");
    assertThat(view.answer()).isNull();
    assertThat(view.source.getListDataView().getItems()).isEmpty();
  }
}
