package io.weft.diagnostics.drops;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.diagnostics.DropQuery;
import io.weft.diagnostics.DropRecords;
import io.weft.diagnostics.ReportedDrop;
import io.weft.diagnostics.trace.TraceTestApplication;
import io.weft.diagnostics.trace.TraceWorld;
import io.weft.fabric.Caller;
import io.weft.fabric.HostId;
import io.weft.fabric.HostState;
import io.weft.fabric.NewSubnet;
import io.weft.fabric.NewVm;
import io.weft.fabric.NewVnic;
import io.weft.fabric.Subnet;
import io.weft.fabric.TenantId;
import io.weft.fabric.Vm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

/**
 * How many drop records were lost is told to each tenant for its own VM networks only: two tenants
 * share a host, the fabric's bound per host trims the victim's oldest records and the agent's ring
 * loses the attacker's; each tenant learns only its own count, operators the host's total.
 */
@SpringBootTest(classes = TraceTestApplication.class)
class DropLossPerTenantTest {

  @Autowired ApplicationContext context;
  @Autowired DropRecords drops;

  private long sequence = 10_000;

  @Test
  void eachTenantIsToldOnlyItsOwnLostRecordsOperatorsTheHostsTotal() {
    TraceWorld world = new TraceWorld(context).hosts(1, 10, 1500).tenant();
    HostId host = world.hostIds.getFirst();
    Subnet web = world.subnet(world.network("prod"), "web", "10.0.0.0/24", false);
    Vm victim = world.staticVm("victim", web, "10.0.0.10");
    Caller[] attackerCaller = new Caller[1];
    TenantId attacker = world.signup(attackerCaller);
    var spyNet = world.networks.createVmNetwork(attackerCaller[0], attacker, "spy");
    Subnet spySubnet =
        world.networks.createSubnet(
            attackerCaller[0],
            attacker,
            spyNet.id(),
            new NewSubnet("spy", "10.0.0.0/24", null, null));
    Vm spy =
        world.vms.createVm(
            attackerCaller[0],
            attacker,
            new NewVm(
                "spy", List.of(new NewVnic(spySubnet.id().toString(), "STATIC", "10.0.0.10"))));
    assertThat(world.hostOf(victim)).isEqualTo(host);
    assertThat(world.hostOf(spy)).isEqualTo(host);
    try {
      // The fabric keeps 1000 records per host: 1000 of the victim's, then 3 of the attacker's
      // push the victim's 3 oldest out.
      drops.record(host, 0, Map.of(), records(victim, web.vsid(), 1000));
      drops.record(host, 0, Map.of(), records(spy, spySubnet.vsid(), 3));
      // The attacker's own ring lost 4 of its records (VSID counted by the agent), 2 had none.
      drops.record(host, 6, Map.of(spySubnet.vsid(), 4L, 0, 2L), List.of());

      assertThat(drops.recent(world.tenantCaller, new DropQuery(null, null, 10)).lost())
          .as("the victim's own records lost")
          .isEqualTo(3);
      assertThat(drops.recent(attackerCaller[0], new DropQuery(null, null, 10)).lost())
          .as("the attacker's own, nothing of the victim's")
          .isEqualTo(4);
      assertThat(
              drops
                  .recent(attackerCaller[0], new DropQuery(spyNet.id().toString(), null, 10))
                  .lost())
          .isEqualTo(4);
      assertThat(drops.recent(TraceWorld.OPERATOR, new DropQuery(null, host.toString(), 10)).lost())
          .as("the host's total")
          .isEqualTo(9);
    } finally {
      // The shared context's other tests place VMs on their own hosts.
      world.vms.deleteVm(world.tenantCaller, world.tenant, victim.id());
      world.vms.deleteVm(attackerCaller[0], attacker, spy.id());
      world.hosts.setHostState(TraceWorld.OPERATOR, host, HostState.DOWN);
    }
  }

  private List<ReportedDrop> records(Vm vm, int vsid, int n) {
    var nic = vm.nics().getFirst();
    List<ReportedDrop> out = new ArrayList<>();
    Instant at = Instant.now();
    for (int i = 0; i < n; i++) {
      out.add(
          new ReportedDrop(
              sequence++,
              at.plusNanos(i * 1000L),
              nic.id().toString(),
              vsid,
              nic.address(),
              "10.0.0.99",
              "ARP",
              0,
              0,
              "NO_ROUTE",
              "no record for 10.0.0.99",
              1,
              null));
    }
    return out;
  }
}
