package io.weft.fabric.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.fabric.AccessDeniedException;
import io.weft.fabric.AuditLog;
import io.weft.fabric.Caller;
import io.weft.fabric.ConflictException;
import io.weft.fabric.ExternalHostService;
import io.weft.fabric.FabricTestApplication;
import io.weft.fabric.HostService;
import io.weft.fabric.HostState;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.NetworkService;
import io.weft.fabric.NewHost;
import io.weft.fabric.NewLogicalNetwork;
import io.weft.fabric.NewSubnet;
import io.weft.fabric.NewVm;
import io.weft.fabric.NewVnic;
import io.weft.fabric.NotFoundException;
import io.weft.fabric.RegisteredHost;
import io.weft.fabric.SecurityAuditLog;
import io.weft.fabric.SignupRequest;
import io.weft.fabric.Subnet;
import io.weft.fabric.TenantId;
import io.weft.fabric.TenantService;
import io.weft.fabric.Vm;
import io.weft.fabric.VmNetwork;
import io.weft.fabric.VmService;
import io.weft.fabric.identity.AccountId;
import io.weft.fabric.identity.AccountService;
import io.weft.fabric.identity.ApiTokenService;
import io.weft.fabric.identity.Role;
import io.weft.fabric.tables.HostTableService;
import io.weft.ipam.IpamValidationException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * What every public fabric service operation promises, written once and run on H2 and on PostgreSQL
 * (a subclass per database). Each operation is called by the caller it must refuse (another
 * tenant's admin gets "not found", a member or a tenant "access denied") and with the input it must
 * refuse (a 400 naming the field), so removing its check fails a test.
 */
@SpringBootTest(classes = FabricTestApplication.class)
abstract class FabricContract {

  static final Caller OPERATOR =
      new Caller(new AccountId(UUID.randomUUID()), "op", Role.OPERATOR, Optional.empty());

  @Autowired TenantService tenants;
  @Autowired NetworkService networks;
  @Autowired VmService vms;
  @Autowired HostService hosts;
  @Autowired AuditLog audit;
  @Autowired AccountService accounts;
  @Autowired ApiTokenService apiTokens;
  @Autowired ExternalHostService external;
  @Autowired HostTableService tables;
  @Autowired SecurityAuditLog securityAudit;

  /**
   * Keeps a READY host with room to spare in this context, so every VM a test creates is placed at
   * once: a VM left PENDING would take the slots of a later test's host the moment that host became
   * READY. (PlacementContract parks it while it places VMs on hosts of its own.)
   */
  @BeforeEach
  void roomForEveryVm() {
    boolean room =
        hosts.listHosts(OPERATOR).stream()
            .anyMatch(h -> h.state() == HostState.READY && h.vmSlots() - h.vmCount() >= 1000);
    if (!room) {
      readyHost(logicalNetwork(), 4096);
    }
  }

  /** A tenant seen by its admin and by a plain member. */
  record Tenancy(TenantId id, Caller admin, Caller member, String adminEmail) {}

  Tenancy newTenant() {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    String email = "admin-" + tag + "@example.com";
    TenantId id = tenants.signup(new SignupRequest("Org " + tag, email, "Password-123456")).id();
    return new Tenancy(
        id,
        new Caller(new AccountId(UUID.randomUUID()), email, Role.TENANT_ADMIN, Optional.of(id)),
        new Caller(
            new AccountId(UUID.randomUUID()), "member-" + tag, Role.TENANT_MEMBER, Optional.of(id)),
        email);
  }

  static String tag() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  /** A new logical network of the operator's, by id. */
  String logicalNetwork() {
    return hosts
        .createLogicalNetwork(
            OPERATOR, new NewLogicalNetwork("ln-" + tag(), "10.250.0.0/16", "VXLAN", 1500))
        .id()
        .toString();
  }

  /** A READY host with this many VM slots. */
  RegisteredHost readyHost(String logicalNetwork, int vmSlots) {
    RegisteredHost h =
        hosts.registerHost(OPERATOR, new NewHost("h-" + tag(), logicalNetwork, null, vmSlots));
    hosts.setHostState(OPERATOR, h.host().id(), HostState.READY);
    return h;
  }

  static NewVnic dhcpNic(Subnet s) {
    return new NewVnic(s.id().value().toString(), "DHCP", null);
  }

  static NewVnic staticNic(Subnet s, String address) {
    return new NewVnic(s.id().value().toString(), "STATIC", address);
  }

  Vm vm(Tenancy t, String name, NewVnic... nics) {
    return vms.createVm(t.admin(), t.id(), new NewVm(name, List.of(nics)));
  }

  VmNetwork network(Tenancy t) {
    return networks.createVmNetwork(t.admin(), t.id(), "net-" + UUID.randomUUID());
  }

  Subnet subnet(Tenancy t, VmNetwork n, String cidr) {
    return networks.createSubnet(
        t.admin(), t.id(), n.id(), new NewSubnet("sub", cidr, null, List.of()));
  }

  static void notFound(ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOf(NotFoundException.class);
  }

  static void denied(ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOf(AccessDeniedException.class);
  }

  static void conflict(String field, ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ConflictException.class, e -> assertThat(e.field()).contains(field));
  }

  /** A 400 naming the field: the fabric's own validation, or IPAM's for an address it parses. */
  static void invalid(String field, ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfAny(InvalidRequestException.class, IpamValidationException.class)
        .satisfies(e ->
            assertThat(
                    e instanceof InvalidRequestException fabric
                        ? fabric.field()
                        : ((IpamValidationException) e).field())
                .contains(field));
  }
}
