package io.weft.fabric.tables.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.LookupRecord;
import io.weft.dataplane.table.VmNetworkTable;
import io.weft.fabric.AccessDeniedException;
import io.weft.fabric.ConflictException;
import io.weft.fabric.ExternalHost;
import io.weft.fabric.ExternalHostService;
import io.weft.fabric.ExternalMachine;
import io.weft.fabric.FabricException;
import io.weft.fabric.HostId;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.NewExternalHost;
import io.weft.fabric.NewExternalMachine;
import io.weft.fabric.NotFoundException;
import io.weft.fabric.Subnet;
import io.weft.fabric.Vm;
import io.weft.fabric.VmNetwork;
import io.weft.fabric.contract.Covers;
import io.weft.fabric.tables.HostTableService;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * External endpoints in host tables: their machines reach exactly the hosts sharing the VM network,
 * as deltas; a host joining later gets them in its first content; withdrawing removes them; every
 * step equals the full recompute. And the refusals, each naming its field.
 */
abstract class ExternalHostTablesContract {

  @Autowired ApplicationContext ctx;
  @Autowired HostTableService tables;
  @Autowired ExternalHostService external;

  @Test
  void machinesBehindAnExternalHostReachTheHostsOfTheirVmNetworkOnly() {
    Cloud cloud = new Cloud(ctx).build(3, "NVGRE").ready();
    HostId h0 = cloud.hostIds.get(0);
    HostId h1 = cloud.hostIds.get(1);
    HostId h2 = cloud.hostIds.get(2);
    VmNetwork net = cloud.network("blue");
    Subnet s = cloud.subnet(net, "s", "10.9.0.0/24", true);
    VmNetwork other = cloud.network("red");
    Subnet so = cloud.subnet(other, "s", "10.9.0.0/24", false);
    Vm a = cloud.vm("a", List.of(Cloud.staticNic(s, "10.9.0.10")));
    cloud.placeOn(a, h0);
    Vm b = cloud.vm("b", List.of(Cloud.staticNic(s, "10.9.0.11")));
    cloud.placeOn(b, h1);
    Vm r = cloud.vm("r", List.of(Cloud.staticNic(so, "10.9.0.12")));
    cloud.placeOn(r, h2);
    SimAgents agents = new SimAgents(tables);
    cloud.hostIds.forEach(h -> agents.syncAndReport(h));
    String ln = cloud.hosts.getHost(Cloud.OPERATOR, h0).logicalNetworkId().toString();
    String pa = "10.200.250." + (10 + (int) (Math.random() * 200));

    ExternalHost ovs =
        external.register(
            Cloud.OPERATOR,
            new NewExternalHost(
                "ovs-" + UUID.randomUUID().toString().substring(0, 6),
                ln,
                pa,
                List.of(
                    new NewExternalMachine(s.id().toString(), "10.9.0.50", "52:54:00:aa:00:01"))));
    assertThat(ovs.machines()).hasSize(1);
    assertThat(ovs.machines().getFirst().vsid()).isEqualTo(s.vsid());

    int snapshotsBefore = agents.snapshots;
    cloud.hostIds.forEach(agents::sync);
    assertThat(agents.snapshots).as("incremental: deltas, no snapshots").isEqualTo(snapshotsBefore);
    LookupRecord expected =
        new LookupRecord(
            s.vsid(),
            IpAddress.parse("10.9.0.50"),
            io.weft.dataplane.table.MacAddress.parse("52:54:00:aa:00:01"),
            IpAddress.parse(pa));
    assertThat(records(agents.applied.get(h0), net)).containsKey("10.9.0.50");
    assertThat(records(agents.applied.get(h0), net).get("10.9.0.50")).isEqualTo(expected);
    assertThat(records(agents.applied.get(h1), net).get("10.9.0.50")).isEqualTo(expected);
    assertThat(network(agents.applied.get(h2), net)).as("h2 holds no port of blue").isNull();
    assertThat(records(agents.applied.get(h2), other)).doesNotContainKey("10.9.0.50");
    cloud.hostIds.forEach(h -> agents.assertMatchesFull(h, "after register"));

    // A host that joins the VM network later gets the machine with the network's content.
    Vm c = cloud.vm("c", List.of(Cloud.staticNic(s, "10.9.0.13")));
    cloud.placeOn(c, h2);
    cloud.hostIds.forEach(agents::sync);
    assertThat(records(agents.applied.get(h2), net).get("10.9.0.50")).isEqualTo(expected);
    cloud.hostIds.forEach(h -> agents.assertMatchesFull(h, "after join"));

    // One more machine, then the first withdrawn.
    ExternalMachine second =
        external.addMachine(
            Cloud.OPERATOR,
            ovs.id(),
            new NewExternalMachine(s.id().toString(), "10.9.0.51", "02:57:46:ff:00:51"));
    external.removeMachine(Cloud.OPERATOR, ovs.id(), ovs.machines().getFirst().id());
    cloud.hostIds.forEach(agents::sync);
    for (HostId h : List.of(h0, h1, h2)) {
      assertThat(records(agents.applied.get(h), net))
          .containsKey("10.9.0.51")
          .doesNotContainKey("10.9.0.50");
      agents.assertMatchesFull(h, "after add and remove");
    }
    assertThat(second.mac()).isEqualTo("02:57:46:ff:00:51");

    // The withdrawn CA is free again: a VM may take it.
    Vm d = cloud.vm("d", List.of(Cloud.staticNic(s, "10.9.0.50")));
    assertThat(d.nics().getFirst().address()).isEqualTo("10.9.0.50");

    // Removing the endpoint withdraws its machines and frees its PA.
    external.delete(Cloud.OPERATOR, ovs.id());
    cloud.hostIds.forEach(agents::sync);
    for (HostId h : List.of(h0, h1, h2)) {
      assertThat(records(agents.applied.get(h), net)).doesNotContainKey("10.9.0.51");
      agents.assertMatchesFull(h, "after delete");
    }
    ExternalHost again =
        external.register(
            Cloud.OPERATOR,
            new NewExternalHost(
                "again-" + UUID.randomUUID().toString().substring(0, 6), ln, pa, null));
    assertThat(again.providerAddress()).isEqualTo(pa);
    external.delete(Cloud.OPERATOR, again.id());
  }

  @Test
  @Covers({
    "ExternalHostService.register",
    "ExternalHostService.get",
    "ExternalHostService.removeMachine"
  })
  void refusalsNameTheFieldAndLeaveNothingBehind() {
    Cloud cloud = new Cloud(ctx).build(1, "VXLAN").ready();
    HostId h0 = cloud.hostIds.get(0);
    VmNetwork net = cloud.network("blue");
    Subnet s = cloud.subnet(net, "s", "10.8.0.0/24", true);
    Vm a = cloud.vm("a", List.of(Cloud.staticNic(s, "10.8.0.10")));
    String ln = cloud.hosts.getHost(Cloud.OPERATOR, h0).logicalNetworkId().toString();
    String hostPa = cloud.hosts.getHost(Cloud.OPERATOR, h0).providerAddress();
    String sid = s.id().toString();
    String name = "x-" + UUID.randomUUID().toString().substring(0, 6);

    assertRefused(
        () ->
            external.register(
                cloud.tenantCaller, new NewExternalHost(name, ln, "10.200.9.9", null)),
        AccessDeniedException.class,
        null);
    assertRefused(
        () -> external.register(Cloud.OPERATOR, new NewExternalHost(name, ln, "192.0.2.9", null)),
        InvalidRequestException.class,
        "providerAddress");
    assertRefused(
        () -> external.register(Cloud.OPERATOR, new NewExternalHost(name, ln, hostPa, null)),
        ConflictException.class,
        "providerAddress");
    assertRefused(
        () ->
            external.register(
                Cloud.OPERATOR,
                new NewExternalHost(name, UUID.randomUUID().toString(), "10.200.9.9", null)),
        NotFoundException.class,
        "logicalNetworkId");
    assertRefused(
        () ->
            register(
                name,
                ln,
                new NewExternalMachine(
                    UUID.randomUUID().toString(), "10.8.0.50", "52:54:00:00:00:01")),
        NotFoundException.class,
        "machines[0].subnetId");
    assertRefused(
        () -> register(name, ln, new NewExternalMachine(sid, "10.8.0.10", "52:54:00:00:00:01")),
        ConflictException.class,
        "machines[0].address");
    assertRefused(
        () -> register(name, ln, new NewExternalMachine(sid, "10.7.0.5", "52:54:00:00:00:01")),
        InvalidRequestException.class,
        "machines[0].address");
    assertRefused(
        () -> register(name, ln, new NewExternalMachine(sid, "10.8.0.150", "52:54:00:00:00:01")),
        ConflictException.class,
        "machines[0].address");
    assertRefused(
        () -> register(name, ln, new NewExternalMachine(sid, "10.8.0.50", "01:00:5e:00:00:01")),
        InvalidRequestException.class,
        "machines[0].mac");
    assertRefused(
        () -> register(name, ln, new NewExternalMachine(sid, "10.8.0.50", "not-a-mac")),
        InvalidRequestException.class,
        "machines[0].mac");
    assertRefused(
        () ->
            register(name, ln, new NewExternalMachine(sid, "10.8.0.50", a.nics().getFirst().mac())),
        ConflictException.class,
        "machines[0].mac");
    // Nothing of a refused registration stayed: the same request with a good machine succeeds.
    ExternalHost ok =
        register(name, ln, new NewExternalMachine(sid, "10.8.0.50", "52:54:00:00:00:01"));
    assertThat(external.list(Cloud.OPERATOR)).extracting(ExternalHost::name).contains(name);
    assertRefused(() -> register(name, ln), ConflictException.class, "name");
    assertRefused(
        () -> cloud.networks.deleteSubnet(cloud.tenantCaller, cloud.tenant, s.id()),
        ConflictException.class,
        "subnetId");
    assertRefused(
        () ->
            external.removeMachine(
                Cloud.OPERATOR, ok.id(), io.weft.fabric.ExternalMachineId.random()),
        NotFoundException.class,
        "machineId");
    assertRefused(
        () -> external.get(Cloud.OPERATOR, io.weft.fabric.ExternalHostId.random()),
        NotFoundException.class,
        "externalHostId");
    external.delete(Cloud.OPERATOR, ok.id());
  }

  private ExternalHost register(String name, String ln, NewExternalMachine... machines) {
    return external.register(
        Cloud.OPERATOR, new NewExternalHost(name, ln, "10.200.9.9", List.of(machines)));
  }

  private static void assertRefused(
      Runnable call, Class<? extends FabricException> type, String field) {
    assertThatThrownBy(call::run)
        .isInstanceOf(type)
        .satisfies(e -> {
          if (field != null) {
            assertThat(((FabricException) e).field()).as(e.getMessage()).contains(field);
          }
        });
  }

  private static VmNetworkTable network(HostTable t, VmNetwork net) {
    return t.networks().stream()
        .filter(n -> n.routingDomainId().equals(net.id().value()))
        .findFirst()
        .orElse(null);
  }

  private static Map<String, LookupRecord> records(HostTable t, VmNetwork net) {
    VmNetworkTable n = network(t, net);
    return n == null
        ? Map.of()
        : n.lookupRecords().stream().collect(Collectors.toMap(r -> r.ca().toString(), r -> r));
  }
}
