package io.weft.portal.ui.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.button.Button;
import io.weft.diagnostics.CaptureStatus;
import io.weft.diagnostics.DropEntry;
import io.weft.diagnostics.DropRecords;
import io.weft.diagnostics.ReportedDrop;
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
import io.weft.portal.ui.BrowserlessViewTest;
import io.weft.portal.ui.HomeView;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The Drops and Captures pages as a tenant uses them (its own drops and captures only, no host
 * names) and as another tenant sees them (nothing of the first).
 */
class DropsAndCapturesViewTest extends BrowserlessViewTest {

  private static final AtomicLong SEQUENCE = new AtomicLong(1_000_000);

  @Autowired NetworkService networks;
  @Autowired VmService vms;
  @Autowired DropRecords drops;

  /** A VM with one static vNIC in a new VM network of the tenant, placed on a ready host. */
  private Vm vm(TenantAdmin a, String network, String cidr, String address) {
    readyHosts();
    var net = networks.createVmNetwork(a.caller(), a.tenant().id(), network);
    var subnet =
        networks.createSubnet(
            a.caller(), a.tenant().id(), net.id(), new NewSubnet("web", cidr, null, null));
    Vm vm =
        vms.createVm(
            a.caller(),
            a.tenant().id(),
            new NewVm(
                network + "-vm", List.of(new NewVnic(subnet.id().toString(), "STATIC", address))));
    // Tenants do not see placements: read the VM as an operator.
    Vm placed = vms.getVm(operator(), a.tenant().id(), vm.id());
    assertThat(placed.placement()).as("placed").isPresent();
    return placed;
  }

  /**
   * Two ready hosts unless some are ready already (as TraceViewTest does, so that the shared
   * context's VMs keep spreading over two hosts whichever test runs first).
   */
  private void readyHosts() {
    var op = operator();
    if (hosts.listHosts(op).stream().anyMatch(h -> h.state() == HostState.READY)) {
      return;
    }
    var ln =
        hosts.createLogicalNetwork(
            op, new NewLogicalNetwork("drops-view-site", "192.168.212.0/24", "NVGRE", 1500));
    for (int i = 1; i <= 2; i++) {
      var h =
          hosts.registerHost(op, new NewHost("drops-view-host-" + i, ln.id().toString(), null, 50));
      hosts.setHostState(op, h.host().id(), HostState.READY);
    }
  }

  /** The VM's host reports that its switch dropped a spoofed frame from the VM's vNIC. */
  private void dropped(Vm vm, String spoofedSource) {
    var host = vm.placement().orElseThrow().hostId();
    var nic = vm.nics().getFirst();
    drops.record(
        host,
        0,
        List.of(
            new ReportedDrop(
                SEQUENCE.incrementAndGet(),
                Instant.now(),
                nic.id().toString(),
                0,
                spoofedSource,
                "10.0.0.1",
                "ICMP",
                8,
                0,
                "SPOOFED_SOURCE",
                "port " + nic.id() + " allows only " + nic.address(),
                1,
                null)));
  }

  @Test
  void aTenantSeesItsOwnDropsWithoutHostsAndAnotherTenantSeesNoneOfThem() {
    TenantAdmin victim = newTenant("Dropping Ltd");
    Vm vm = vm(victim, "drops-prod", "10.31.0.0/24", "10.31.0.10");
    dropped(vm, "10.31.0.66");
    TenantAdmin attacker = newTenant("Peeking Ltd");
    Vm own = vm(attacker, "peek-net", "10.31.0.0/24", "10.31.0.10");

    signIn(victim.email());
    DropsView view = navigate(DropsView.class);
    List<DropEntry> shown = view.drops.getListDataView().getItems().toList();
    assertThat(shown)
        .singleElement()
        .satisfies(d -> {
          assertThat(d.reason()).isEqualTo("SPOOFED_SOURCE");
          assertThat(d.source()).isEqualTo("10.31.0.66");
          assertThat(d.vnicId()).isEqualTo(vm.nics().getFirst().id().toString());
          assertThat(d.host()).as("no host name for a tenant").isNull();
          assertThat(d.outerSource()).isNull();
        });
    assertThat(view.headline.getText()).startsWith("1 recent drops in all VM networks");
    assertThat(view.scope.getListDataView().getItems().map(DropsView.Scope::label))
        .containsExactly("All my VM networks", "drops-prod");
    for (Host h : hosts.listHosts(operator())) {
      assertThat(view.headline.getText()).doesNotContain(h.name());
    }

    signIn(attacker.email());
    navigate(HomeView.class); // a new view for the new user, not the one on the current route
    DropsView peek = navigate(DropsView.class);
    assertThat(peek.drops.getListDataView().getItems()).isEmpty();
    assertThat(peek.scope.getListDataView().getItems().map(DropsView.Scope::label))
        .containsExactly("All my VM networks", "peek-net");
    assertThat(own.nics()).hasSize(1);

    signIn("admin");
    navigate(HomeView.class);
    DropsView asOperator = navigate(DropsView.class);
    assertThat(asOperator.drops.getListDataView().getItems())
        .anySatisfy(d -> {
          assertThat(d.source()).isEqualTo("10.31.0.66");
          assertThat(d.host()).isNotNull();
        });
  }

  @Test
  void aTenantStartsACaptureOnItsVnicAndAnotherTenantSeesNeitherTheVnicNorTheCapture() {
    TenantAdmin victim = newTenant("Capturing Ltd");
    Vm vm = vm(victim, "cap-prod", "10.32.0.0/24", "10.32.0.10");
    TenantAdmin attacker = newTenant("Sniffing Ltd");
    vm(attacker, "sniff-net", "10.33.0.0/24", "10.33.0.10");

    signIn(victim.email());
    CapturesView view = navigate(CapturesView.class);
    assertThat(view.vnic.getListDataView().getItems().map(CapturesView.Target::label))
        .containsExactly("cap-prod-vm · 10.32.0.10");
    test(view.vnic).selectItem("cap-prod-vm · 10.32.0.10");

    // A bound left out names its field; nothing starts.
    view.packets.clear();
    test($(Button.class).id("capture-start")).click();
    assertThat(view.packets.isInvalid()).isTrue();
    assertThat(view.captures.getListDataView().getItems()).isEmpty();

    // With its bounds and an address filter it starts.
    view.packets.setValue(5);
    view.seconds.setValue(2);
    view.kilobytes.setValue(64);
    test(view.address).setValue("10.32.0.7");
    test($(Button.class).id("capture-start")).click();
    assertThat(view.packets.isInvalid()).isFalse();
    assertThat(view.address.isInvalid()).as(view.address.getErrorMessage()).isFalse();
    List<CaptureStatus> mine = view.captures.getListDataView().getItems().toList();
    assertThat(mine)
        .singleElement()
        .satisfies(c -> {
          assertThat(c.target()).contains("cap-prod-vm");
          assertThat(c.filter()).contains("address 10.32.0.7");
        });
    for (Host h : hosts.listHosts(operator())) {
      assertThat(mine.getFirst().target()).doesNotContain(h.name());
    }

    test(view.address).setValue("10.32.0.300");
    test($(Button.class).id("capture-start")).click();
    assertThat(view.address.isInvalid()).isTrue();
    assertThat(view.address.getErrorMessage()).contains("IPv4");

    // An IPv6 address filter is taken as well (ICMP with it means ICMPv6).
    test(view.address).setValue("fd00::7");
    test(view.protocol).selectItem("ICMP");
    test($(Button.class).id("capture-start")).click();
    assertThat(view.address.isInvalid()).as(view.address.getErrorMessage()).isFalse();
    assertThat(view.captures.getListDataView().getItems().map(CaptureStatus::filter))
        .contains("address fd00::7 ICMPv6");

    signIn(attacker.email());
    navigate(HomeView.class);
    CapturesView peek = navigate(CapturesView.class);
    assertThat(peek.vnic.getListDataView().getItems().map(CapturesView.Target::label))
        .containsExactly("sniff-net-vm · 10.33.0.10")
        .noneMatch(l -> l.contains(vm.name()));
    assertThat(peek.captures.getListDataView().getItems()).isEmpty();
  }
}
