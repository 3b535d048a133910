package io.weft.fabric.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.AuditQuery;
import io.weft.fabric.HostState;
import io.weft.fabric.NewDhcpRange;
import io.weft.fabric.NewHost;
import io.weft.fabric.NewLogicalNetwork;
import io.weft.fabric.NewVm;
import io.weft.fabric.NewVnic;
import io.weft.fabric.PageRequest;
import io.weft.fabric.RegisteredHost;
import io.weft.fabric.Subnet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The operator's side: logical networks, hosts, placement, VSID usage and the audit log. */
abstract class HostContract extends FabricContract {

  private RegisteredHost host(String ln) {
    return readyHost(ln, 4);
  }

  @Test
  @Covers({
    "HostService.createLogicalNetwork",
    "HostService.listLogicalNetworks",
    "HostService.getLogicalNetwork",
    "HostService.deleteLogicalNetwork"
  })
  void onlyOperatorsManageLogicalNetworksAndTheirPoolMustBeACidr() {
    Tenancy a = newTenant();
    var request = new NewLogicalNetwork("ln-" + tag(), "10.251.0.0/16", null, null);
    denied(() -> hosts.createLogicalNetwork(a.admin(), request));
    invalid(
        "paCidr",
        () ->
            hosts.createLogicalNetwork(
                OPERATOR, new NewLogicalNetwork("x", "10.1/99", null, null)));
    invalid(
        "mtu",
        () ->
            hosts.createLogicalNetwork(
                OPERATOR, new NewLogicalNetwork("x", "10.1.0.0/16", null, 100)));
    invalid(
        "encapsulation",
        () ->
            hosts.createLogicalNetwork(
                OPERATOR, new NewLogicalNetwork("x", "10.1.0.0/16", "GRE", null)));
    var ln = hosts.createLogicalNetwork(OPERATOR, request);
    conflict("name", () -> hosts.createLogicalNetwork(OPERATOR, request));
    denied(() -> hosts.listLogicalNetworks(a.admin()));
    denied(() -> hosts.getLogicalNetwork(a.admin(), ln.id()));
    denied(() -> hosts.deleteLogicalNetwork(a.admin(), ln.id()));
    host(ln.id().toString());
    conflict("logicalNetworkId", () -> hosts.deleteLogicalNetwork(OPERATOR, ln.id()));
  }

  @Test
  @Covers({
    "HostService.registerHost",
    "HostService.listHosts",
    "HostService.getHost",
    "HostService.setHostState",
    "HostService.rotateAgentToken",
    "HostService.deleteHost",
    "HostService.authenticateAgent"
  })
  void onlyOperatorsManageHostsAndAHostNeedsRoomAndANetwork() {
    Tenancy a = newTenant();
    String ln = logicalNetwork();
    denied(() -> hosts.registerHost(a.admin(), new NewHost("h-" + tag(), ln, null, 4)));
    invalid("vmSlots", () -> hosts.registerHost(OPERATOR, new NewHost("h-" + tag(), ln, null, 0)));
    invalid(
        "logicalNetworkId",
        () -> hosts.registerHost(OPERATOR, new NewHost("h-" + tag(), null, null, 4)));
    RegisteredHost h = host(ln);
    denied(() -> hosts.listHosts(a.admin()));
    denied(() -> hosts.getHost(a.admin(), h.host().id()));
    denied(() -> hosts.setHostState(a.admin(), h.host().id(), HostState.DOWN));
    invalid("state", () -> hosts.setHostState(OPERATOR, h.host().id(), null));
    denied(() -> hosts.rotateAgentToken(a.admin(), h.host().id()));
    denied(() -> hosts.deleteHost(a.admin(), h.host().id()));
    assertThat(hosts.authenticateAgent(h.agentToken())).contains(h.host().id());
    RegisteredHost rotated = hosts.rotateAgentToken(OPERATOR, h.host().id());
    assertThat(hosts.authenticateAgent(h.agentToken())).isEmpty();
    assertThat(hosts.authenticateAgent(rotated.agentToken())).contains(h.host().id());
    assertThat(hosts.authenticateAgent("weft-agent-forged")).isEmpty();
    hosts.deleteHost(OPERATOR, h.host().id());
    notFound(() -> hosts.getHost(OPERATOR, h.host().id()));
  }

  @Test
  @Covers({"VmService.migrate", "VmService.leaseDhcpAddress"})
  void onlyOperatorsMigrateAndALeaseIsGivenOnlyToTheHostTheVmRunsOn() {
    String ln = logicalNetwork();
    RegisteredHost first = host(ln);
    Tenancy a = newTenant();
    Subnet s = subnet(a, network(a), "10.5.0.0/24");
    networks.addDhcpRange(
        a.admin(), a.id(), s.id(), new NewDhcpRange("10.5.0.100", "10.5.0.120", 600, List.of()));
    var vm =
        vms.createVm(
            a.admin(),
            a.id(),
            new NewVm("placed", List.of(new NewVnic(s.id().value().toString(), "DHCP", null))));
    var placedOn = vms.getVm(OPERATOR, a.id(), vm.id()).placement().orElseThrow().hostId();
    RegisteredHost second = host(ln);
    var elsewhere = placedOn.equals(first.host().id()) ? second.host().id() : first.host().id();
    denied(() -> vms.migrate(a.admin(), vm.id(), elsewhere));
    var nic = vm.nics().getFirst().id();
    notFound(() -> vms.leaseDhcpAddress(elsewhere, nic));
    assertThat(vms.leaseDhcpAddress(placedOn, nic)).startsWith("10.5.0.1");
    var moved = vms.migrate(OPERATOR, vm.id(), elsewhere);
    assertThat(moved.placement().orElseThrow().hostId()).isEqualTo(elsewhere);
  }

  @Test
  @Covers("HostService.vsidUsage")
  void onlyOperatorsReadTheVsidUsageAndItCountsEverySubnet() {
    Tenancy a = newTenant();
    denied(() -> hosts.vsidUsage(a.admin()));
    long before = Long.parseLong(hosts.vsidUsage(OPERATOR).allocated());
    subnet(a, network(a), "10.6.0.0/24");
    assertThat(Long.parseLong(hosts.vsidUsage(OPERATOR).allocated())).isEqualTo(before + 1);
    assertThat(hosts.vsidUsage(OPERATOR).size()).isEqualTo(Long.toString(16_777_214L - 4096 + 1));
  }

  @Test
  @Covers({"AuditLog.recent", "AuditLog.page"})
  void theAuditLogShowsATenantAdminOnlyItsOwnLinesAndAMemberNone() {
    Tenancy a = newTenant();
    Tenancy b = newTenant();
    network(a);
    denied(() -> audit.recent(a.admin(), null, 10));
    denied(() -> audit.recent(a.member(), a.id(), 10));
    notFound(() -> audit.recent(b.admin(), a.id(), 10));
    notFound(() -> audit.page(b.admin(), AuditQuery.of(a.id()), PageRequest.first(10)));
    invalid(
        "since",
        () -> new AuditQuery(a.id(), java.time.Instant.now(), java.time.Instant.EPOCH, null));
    assertThat(audit.recent(a.admin(), a.id(), 10))
        .isNotEmpty()
        .allMatch(line -> a.id().value().toString().equals(line.tenantId()));
  }
}
