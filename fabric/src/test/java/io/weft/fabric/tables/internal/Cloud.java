package io.weft.fabric.tables.internal;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationContext;

/** Builds a small cloud through the fabric's own services, as an operator and a tenant would. */
final class Cloud {

  static final Caller OPERATOR =
      new Caller(new AccountId(UUID.randomUUID()), "op", Role.OPERATOR, Optional.empty());

  final HostService hosts;
  final NetworkService networks;
  final VmService vms;
  final TenantService tenants;
  final List<HostId> hostIds = new ArrayList<>();
  final List<String> tokens = new ArrayList<>();
  TenantId tenant;
  Caller tenantCaller;

  Cloud(ApplicationContext ctx) {
    hosts = ctx.getBean(HostService.class);
    networks = ctx.getBean(NetworkService.class);
    vms = ctx.getBean(VmService.class);
    tenants = ctx.getBean(TenantService.class);
  }

  /** The same cloud seen through another application context (after a restart). */
  Cloud rebind(ApplicationContext ctx) {
    Cloud c = new Cloud(ctx);
    c.hostIds.addAll(hostIds);
    c.tokens.addAll(tokens);
    c.tenant = tenant;
    c.tenantCaller = tenantCaller;
    return c;
  }

  /** A logical network with {@code n} hosts, and a tenant with generous quotas. */
  Cloud build(int n, String encapsulation) {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    String ln =
        hosts
            .createLogicalNetwork(
                OPERATOR, new NewLogicalNetwork("ln-" + tag, "10.200.0.0/16", encapsulation, 1500))
            .id()
            .toString();
    for (int i = 0; i < n; i++) {
      var registered = hosts.registerHost(OPERATOR, new NewHost("h" + i + "-" + tag, ln, null, 64));
      hostIds.add(registered.host().id());
      tokens.add(registered.agentToken());
    }
    tenant =
        tenants
            .signup(new SignupRequest("Org " + tag, "a-" + tag + "@example.com", "Password-123456"))
            .id();
    tenants.updateQuotas(OPERATOR, tenant, new Quotas(1000, 1000, 10000, 10000, 5));
    tenantCaller =
        new Caller(new AccountId(UUID.randomUUID()), "t", Role.TENANT_ADMIN, Optional.of(tenant));
    return this;
  }

  /** Makes hosts READY so VMs get placed (agents would do it with their first report). */
  Cloud ready() {
    for (HostId h : hostIds) {
      hosts.setHostState(OPERATOR, h, io.weft.fabric.HostState.READY);
    }
    return this;
  }

  VmNetwork network(String name) {
    return networks.createVmNetwork(tenantCaller, tenant, name);
  }

  Subnet subnet(VmNetwork n, String name, String cidr, boolean dhcp) {
    Subnet s =
        networks.createSubnet(
            tenantCaller, tenant, n.id(), new NewSubnet(name, cidr, null, List.of()));
    if (dhcp) {
      String base = cidr.substring(0, cidr.lastIndexOf('.'));
      networks.addDhcpRange(
          tenantCaller,
          tenant,
          s.id(),
          new NewDhcpRange(base + ".100", base + ".200", 3600, List.of()));
    }
    return s;
  }

  Vm vm(String name, List<NewVnic> nics) {
    return vms.createVm(tenantCaller, tenant, new NewVm(name, nics));
  }

  /** Migrates the VM to {@code host} unless placement already put it there. */
  void placeOn(Vm vm, HostId host) {
    HostId now = vms.getVm(OPERATOR, tenant, vm.id()).placement().orElseThrow().hostId();
    if (!now.equals(host)) {
      vms.migrate(OPERATOR, vm.id(), host);
    }
  }

  static NewVnic staticNic(Subnet s, String address) {
    return new NewVnic(s.id().toString(), "STATIC", address);
  }

  static NewVnic dhcpNic(Subnet s) {
    return new NewVnic(s.id().toString(), "DHCP", null);
  }
}
