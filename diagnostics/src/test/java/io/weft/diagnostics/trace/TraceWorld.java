package io.weft.diagnostics.trace;

import io.weft.dataplane.table.TableJson;
import io.weft.fabric.Caller;
import io.weft.fabric.HostId;
import io.weft.fabric.HostService;
import io.weft.fabric.NetworkService;
import io.weft.fabric.NewDhcpRange;
import io.weft.fabric.NewHost;
import io.weft.fabric.NewLogicalNetwork;
import io.weft.fabric.NewSubnet;
import io.weft.fabric.NewVm;
import io.weft.fabric.NewVnic;
import io.weft.fabric.Quotas;
import io.weft.fabric.SignupRequest;
import io.weft.fabric.Subnet;
import io.weft.fabric.TenantId;
import io.weft.fabric.TenantService;
import io.weft.fabric.Vm;
import io.weft.fabric.VmNetwork;
import io.weft.fabric.VmService;
import io.weft.fabric.identity.AccountId;
import io.weft.fabric.identity.Role;
import io.weft.fabric.tables.AgentReport;
import io.weft.fabric.tables.HostTableService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationContext;

/**
 * A small cloud built through the fabric's own services: hosts on one NVGRE logical network, a
 * tenant with a two-subnet VM network and a second VM network, and agents "reporting" by telling
 * the fabric they applied exactly the intended table.
 */
public final class TraceWorld {

  public static final Caller OPERATOR =
      new Caller(new AccountId(UUID.randomUUID()), "op", Role.OPERATOR, Optional.empty());

  public final HostService hosts;
  public final NetworkService networks;
  public final VmService vms;
  public final TenantService tenants;
  public final HostTableService tables;
  public final List<HostId> hostIds = new ArrayList<>();
  public TenantId tenant;
  public Caller tenantCaller;

  public TraceWorld(ApplicationContext ctx) {
    hosts = ctx.getBean(HostService.class);
    networks = ctx.getBean(NetworkService.class);
    vms = ctx.getBean(VmService.class);
    tenants = ctx.getBean(TenantService.class);
    tables = ctx.getBean(HostTableService.class);
  }

  public TraceWorld hosts(int n, int slots, int mtu) {
    String tag = UUID.randomUUID().toString().substring(0, 6);
    String ln =
        hosts
            .createLogicalNetwork(
                OPERATOR, new NewLogicalNetwork("ln-" + tag, "10.200.0.0/16", "NVGRE", mtu))
            .id()
            .toString();
    for (int i = 1; i <= n; i++) {
      var registered =
          hosts.registerHost(OPERATOR, new NewHost("host-" + i + "-" + tag, ln, null, slots));
      hostIds.add(registered.host().id());
      hosts.setHostState(OPERATOR, registered.host().id(), io.weft.fabric.HostState.READY);
    }
    return this;
  }

  public TraceWorld tenant() {
    Caller[] caller = new Caller[1];
    tenant = signup(caller);
    tenantCaller = caller[0];
    return this;
  }

  public TenantId signup(Caller[] callerOut) {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    TenantId id =
        tenants
            .signup(new SignupRequest("Org " + tag, "a-" + tag + "@example.com", "Password-123456"))
            .id();
    tenants.updateQuotas(OPERATOR, id, new Quotas(100, 100, 100, 100, 5));
    callerOut[0] =
        new Caller(
            new AccountId(UUID.randomUUID()), "t-" + tag, Role.TENANT_ADMIN, Optional.of(id));
    return id;
  }

  public VmNetwork network(String name) {
    return networks.createVmNetwork(tenantCaller, tenant, name);
  }

  public Subnet subnet(VmNetwork n, String name, String cidr, boolean dhcp) {
    Subnet s =
        networks.createSubnet(
            tenantCaller, tenant, n.id(), new NewSubnet(name, cidr, null, List.of()));
    if (dhcp) {
      String base = cidr.substring(0, cidr.lastIndexOf('.'));
      networks.addDhcpRange(
          tenantCaller, tenant, s.id(), new NewDhcpRange(base + ".100", base + ".200", 3600, null));
    }
    return s;
  }

  public Vm staticVm(String name, Subnet s, String address) {
    return vms.createVm(
        tenantCaller,
        tenant,
        new NewVm(name, List.of(new NewVnic(s.id().toString(), "STATIC", address))));
  }

  public Vm dhcpVm(String name, Subnet s) {
    return vms.createVm(
        tenantCaller,
        tenant,
        new NewVm(name, List.of(new NewVnic(s.id().toString(), "DHCP", null))));
  }

  public HostId hostOf(Vm vm) {
    return vms.getVm(OPERATOR, vm.tenantId(), vm.id()).placement().orElseThrow().hostId();
  }

  public String hostName(HostId id) {
    return hosts.getHost(OPERATOR, id).name();
  }

  /** Every host's agent reports the intended table as applied. */
  public void allApplied() {
    for (HostId h : hostIds) {
      applied(h);
    }
  }

  public void applied(HostId h) {
    var table = tables.intendedTable(h);
    tables.reportApplied(
        h, new AgentReport(table.generation(), TableJson.digest(table), null, null));
  }

  public static String nic(Vm vm) {
    return vm.nics().getFirst().id().toString();
  }
}
