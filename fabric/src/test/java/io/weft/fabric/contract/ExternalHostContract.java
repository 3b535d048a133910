package io.weft.fabric.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.ExternalHost;
import io.weft.fabric.ExternalHostId;
import io.weft.fabric.ExternalMachine;
import io.weft.fabric.ExternalMachineId;
import io.weft.fabric.NewDhcpRange;
import io.weft.fabric.NewExternalHost;
import io.weft.fabric.NewExternalMachine;
import io.weft.fabric.Subnet;
import io.weft.fabric.Vm;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * External endpoints are the operators' alone: a tenant's admin or member is refused every call,
 * even for a machine in its own subnet. Registration and admission name the field at fault; what is
 * withdrawn frees its addresses. (How their machines reach host tables:
 * ExternalHostTablesContract.)
 */
abstract class ExternalHostContract extends FabricContract {

  /** Each test admits its own MAC, so a machine one test leaves behind never fails another. */
  private static final String MAC = "52:54:00:0e:00:01";

  private static final String OTHER_MAC = "52:54:00:0e:00:02";

  private NewExternalHost endpoint(String ln, String pa, NewExternalMachine... machines) {
    return new NewExternalHost("ext-" + tag(), ln, pa, List.of(machines));
  }

  private Subnet machineSubnet(Tenancy t, String prefix) {
    Subnet s = subnet(t, network(t), prefix + ".0/24");
    networks.addDhcpRange(
        t.admin(),
        t.id(),
        s.id(),
        new NewDhcpRange(prefix + ".100", prefix + ".150", 600, List.of()));
    return s;
  }

  @Test
  @Covers({
    "ExternalHostService.register",
    "ExternalHostService.list",
    "ExternalHostService.get",
    "ExternalHostService.addMachine",
    "ExternalHostService.removeMachine",
    "ExternalHostService.delete"
  })
  void everyExternalHostCallIsRefusedToTenantUsersEvenForTheirOwnSubnet() {
    Tenancy a = newTenant();
    String sid = machineSubnet(a, "10.40.0").id().toString();
    String ln = logicalNetwork();
    NewExternalMachine machine = new NewExternalMachine(sid, "10.40.0.20", MAC);
    for (var tenantUser : List.of(a.admin(), a.member())) {
      denied(() -> external.register(tenantUser, endpoint(ln, "10.250.200.1", machine)));
    }
    ExternalHost host = external.register(OPERATOR, endpoint(ln, "10.250.200.1"));
    ExternalMachine admitted = external.addMachine(OPERATOR, host.id(), machine);
    for (var tenantUser : List.of(a.admin(), a.member())) {
      denied(() -> external.list(tenantUser));
      denied(() -> external.get(tenantUser, host.id()));
      denied(() ->
          external.addMachine(
              tenantUser, host.id(), new NewExternalMachine(sid, "10.40.0.21", null)));
      denied(() -> external.removeMachine(tenantUser, host.id(), admitted.id()));
      denied(() -> external.delete(tenantUser, host.id()));
    }
    assertThat(external.get(OPERATOR, host.id()).machines()).containsExactly(admitted);
    assertThat(admitted.tenantId()).isEqualTo(a.id());
    assertThat(external.list(OPERATOR)).extracting(ExternalHost::id).contains(host.id());
    external.delete(OPERATOR, host.id());
  }

  @Test
  @Covers("ExternalHostService.register")
  void aRegistrationNeedsANameALogicalNetworkAndAnIpv4AddressInIt() {
    String ln = logicalNetwork();
    invalid(
        "name",
        () -> external.register(OPERATOR, new NewExternalHost(" ", ln, "10.250.9.1", null)));
    invalid(
        "logicalNetworkId",
        () ->
            external.register(
                OPERATOR, new NewExternalHost("x-" + tag(), " ", "10.250.9.1", null)));
    invalid("providerAddress", () -> external.register(OPERATOR, endpoint(ln, null)));
    invalid("providerAddress", () -> external.register(OPERATOR, endpoint(ln, "10.250.9.300")));
    invalid("providerAddress", () -> external.register(OPERATOR, endpoint(ln, "fd00::1")));
    invalid("providerAddress", () -> external.register(OPERATOR, endpoint(ln, "10.99.0.1")));
    NewExternalMachine one = new NewExternalMachine(null, null, null);
    invalid(
        "machines",
        () ->
            external.register(
                OPERATOR,
                new NewExternalHost(
                    "x-" + tag(), ln, "10.250.9.1", Collections.nCopies(1001, one))));
    invalid(
        "machines[0].subnetId", () -> external.register(OPERATOR, endpoint(ln, "10.250.9.1", one)));
    ExternalHost made = external.register(OPERATOR, endpoint(ln, "10.250.9.1"));
    conflict("providerAddress", () -> external.register(OPERATOR, endpoint(ln, "10.250.9.1")));
    external.delete(OPERATOR, made.id());
    assertThat(external.register(OPERATOR, endpoint(ln, "10.250.9.1")).providerAddress())
        .as("the deleted endpoint's PA is free again")
        .isEqualTo("10.250.9.1");
  }

  @Test
  @Covers({"ExternalHostService.addMachine", "ExternalHostService.removeMachine"})
  void aMachineNeedsAnAddressOfItsSubnetOutsideDhcpAndAUnicastMacNotInUse() {
    Tenancy a = newTenant();
    Subnet s = machineSubnet(a, "10.41.0");
    String sid = s.id().toString();
    Vm taken = vm(a, "vm", staticNic(s, "10.41.0.10"));
    ExternalHost host = external.register(OPERATOR, endpoint(logicalNetwork(), "10.250.9.2"));
    ExternalHostId id = host.id();
    invalid(
        "subnetId",
        () ->
            external.addMachine(
                OPERATOR, id, new NewExternalMachine(" ", "10.41.0.20", OTHER_MAC)));
    invalid(
        "subnetId",
        () ->
            external.addMachine(
                OPERATOR, id, new NewExternalMachine("nope", "10.41.0.20", OTHER_MAC)));
    notFound(() ->
        external.addMachine(
            OPERATOR,
            id,
            new NewExternalMachine(
                java.util.UUID.randomUUID().toString(), "10.41.0.20", OTHER_MAC)));
    invalid(
        "address",
        () -> external.addMachine(OPERATOR, id, new NewExternalMachine(sid, null, OTHER_MAC)));
    invalid(
        "address",
        () ->
            external.addMachine(
                OPERATOR, id, new NewExternalMachine(sid, "10.42.0.20", OTHER_MAC)));
    conflict(
        "address",
        () ->
            external.addMachine(OPERATOR, id, new NewExternalMachine(sid, "10.41.0.1", OTHER_MAC)));
    conflict(
        "address",
        () ->
            external.addMachine(
                OPERATOR, id, new NewExternalMachine(sid, "10.41.0.120", OTHER_MAC)));
    conflict(
        "address",
        () ->
            external.addMachine(
                OPERATOR, id, new NewExternalMachine(sid, "10.41.0.10", OTHER_MAC)));
    invalid(
        "mac",
        () -> external.addMachine(OPERATOR, id, new NewExternalMachine(sid, "10.41.0.20", null)));
    invalid(
        "mac",
        () ->
            external.addMachine(
                OPERATOR, id, new NewExternalMachine(sid, "10.41.0.20", "01:00:5e:00:00:01")));
    invalid(
        "mac",
        () ->
            external.addMachine(
                OPERATOR, id, new NewExternalMachine(sid, "10.41.0.20", "00:00:00:00:00:00")));
    conflict(
        "mac",
        () ->
            external.addMachine(
                OPERATOR,
                id,
                new NewExternalMachine(sid, "10.41.0.20", taken.nics().getFirst().mac())));
    notFound(() ->
        external.addMachine(
            OPERATOR,
            ExternalHostId.random(),
            new NewExternalMachine(sid, "10.41.0.20", OTHER_MAC)));
    ExternalMachine m =
        external.addMachine(OPERATOR, id, new NewExternalMachine(sid, "10.41.0.20", OTHER_MAC));
    conflict(
        "mac",
        () ->
            external.addMachine(
                OPERATOR, id, new NewExternalMachine(sid, "10.41.0.21", OTHER_MAC)));
    notFound(() -> external.removeMachine(OPERATOR, id, ExternalMachineId.random()));
    notFound(() -> external.removeMachine(OPERATOR, ExternalHostId.random(), m.id()));
    external.removeMachine(OPERATOR, id, m.id());
    assertThat(external.get(OPERATOR, id).machines()).isEmpty();
    assertThat(vm(a, "after", staticNic(s, "10.41.0.20")).nics().getFirst().address())
        .as("the withdrawn machine's address is free for a VM")
        .isEqualTo("10.41.0.20");
    notFound(() -> external.delete(OPERATOR, ExternalHostId.random()));
    external.delete(OPERATOR, id);
    notFound(() -> external.get(OPERATOR, id));
  }
}
