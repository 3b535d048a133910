package io.weft.fabric.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.AuditQuery;
import io.weft.fabric.HostId;
import io.weft.fabric.HostState;
import io.weft.fabric.LogicalNetworkId;
import io.weft.fabric.NewDhcpRange;
import io.weft.fabric.NewExternalHost;
import io.weft.fabric.NewHost;
import io.weft.fabric.NewLogicalNetwork;
import io.weft.fabric.NewVm;
import io.weft.fabric.NewVnic;
import io.weft.fabric.PageRequest;
import io.weft.fabric.RegisteredHost;
import io.weft.fabric.Subnet;
import java.util.List;
import java.util.UUID;
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

  @Test
  @Covers({
    "HostService.registerHost",
    "HostService.getHost",
    "HostService.setHostState",
    "HostService.deleteHost",
    "HostService.rotateAgentToken",
    "HostService.authenticateAgent"
  })
  void aHostNamesTheFieldAtFaultAndIsDeletedOnlyWithoutVms() {
    Tenancy a = newTenant();
    String ln = logicalNetwork();
    String unknown = UUID.randomUUID().toString();
    notFound(() -> hosts.registerHost(OPERATOR, new NewHost("h-" + tag(), unknown, null, 4)));
    invalid("name", () -> hosts.registerHost(OPERATOR, new NewHost(" ", ln, null, 4)));
    invalid(
        "vmSlots", () -> hosts.registerHost(OPERATOR, new NewHost("h-" + tag(), ln, null, 4097)));
    invalid(
        "providerAddress",
        () -> hosts.registerHost(OPERATOR, new NewHost("h-" + tag(), ln, "10.250.7.300", 4)));
    invalid(
        "providerAddress",
        () -> hosts.registerHost(OPERATOR, new NewHost("h-" + tag(), ln, "10.99.7.7", 4)));
    RegisteredHost h = hosts.registerHost(OPERATOR, new NewHost("h-" + tag(), ln, "10.250.7.7", 4));
    assertThat(h.host().providerAddress()).isEqualTo("10.250.7.7");
    assertThat(h.host().state()).isEqualTo(HostState.REGISTERING);
    conflict("name", () -> hosts.registerHost(OPERATOR, new NewHost(h.host().name(), ln, null, 4)));
    conflict(
        "providerAddress",
        () -> hosts.registerHost(OPERATOR, new NewHost("h-" + tag(), ln, "10.250.7.7", 4)));
    var missing = HostId.random();
    notFound(() -> hosts.getHost(OPERATOR, missing));
    notFound(() -> hosts.setHostState(OPERATOR, missing, HostState.READY));
    notFound(() -> hosts.rotateAgentToken(OPERATOR, missing));
    notFound(() -> hosts.deleteHost(OPERATOR, missing));
    denied(() -> hosts.getHost(a.member(), h.host().id()));
    denied(() -> hosts.deleteHost(a.member(), h.host().id()));
    hosts.setHostState(OPERATOR, h.host().id(), HostState.READY);
    Subnet s = subnet(a, network(a), "10.7.0.0/24");
    var vm = vm(a, "pinned", staticNic(s, "10.7.0.10"));
    if (!vms.getVm(OPERATOR, a.id(), vm.id())
        .placement()
        .orElseThrow()
        .hostId()
        .equals(h.host().id())) {
      vms.migrate(OPERATOR, vm.id(), h.host().id());
    }
    conflict("hostId", () -> hosts.deleteHost(OPERATOR, h.host().id()));
    vms.deleteVm(a.admin(), a.id(), vm.id());
    assertThat(hosts.authenticateAgent(h.agentToken())).contains(h.host().id());
    hosts.deleteHost(OPERATOR, h.host().id());
    assertThat(hosts.authenticateAgent(h.agentToken())).as("a deleted host's token").isEmpty();
    assertThat(hosts.authenticateAgent(null)).isEmpty();
    assertThat(
            hosts
                .registerHost(OPERATOR, new NewHost("h-" + tag(), ln, "10.250.7.7", 4))
                .host()
                .providerAddress())
        .as("the deleted host's PA is free again")
        .isEqualTo("10.250.7.7");
  }

  @Test
  @Covers({
    "HostService.listLogicalNetworks",
    "HostService.getLogicalNetwork",
    "HostService.deleteLogicalNetwork"
  })
  void aLogicalNetworkIsReadByOperatorsAndDeletedOnlyWhenNothingUsesIt() {
    Tenancy a = newTenant();
    String ln = logicalNetwork();
    var id = LogicalNetworkId.parse(ln);
    denied(() -> hosts.listLogicalNetworks(a.member()));
    denied(() -> hosts.getLogicalNetwork(a.member(), id));
    denied(() -> hosts.deleteLogicalNetwork(a.member(), id));
    assertThat(hosts.listLogicalNetworks(OPERATOR)).extracting(l -> l.id()).contains(id);
    assertThat(hosts.getLogicalNetwork(OPERATOR, id).encapsulation().name()).isEqualTo("VXLAN");
    var endpoint =
        external.register(OPERATOR, new NewExternalHost("ext-" + tag(), ln, "10.250.1.1", null));
    conflict("logicalNetworkId", () -> hosts.deleteLogicalNetwork(OPERATOR, id));
    external.delete(OPERATOR, endpoint.id());
    hosts.deleteLogicalNetwork(OPERATOR, id);
    notFound(() -> hosts.getLogicalNetwork(OPERATOR, id));
    notFound(() -> hosts.deleteLogicalNetwork(OPERATOR, id));
  }
}
