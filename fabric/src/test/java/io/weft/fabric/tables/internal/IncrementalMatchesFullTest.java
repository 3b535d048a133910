package io.weft.fabric.tables.internal;

import io.weft.fabric.FabricException;
import io.weft.fabric.FabricTestApplication;
import io.weft.fabric.HostId;
import io.weft.fabric.HostState;
import io.weft.fabric.NewVnic;
import io.weft.fabric.Subnet;
import io.weft.fabric.Vm;
import io.weft.fabric.VmNetwork;
import io.weft.fabric.Vnic;
import io.weft.fabric.tables.HostTableService;
import io.weft.ipam.IpamException;
import io.weft.testkit.SeededRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

/**
 * Long random operation sequences (seeded; the seed is printed, rerun with -Dweft.seed=N): after
 * every few operations each host's table, built only from the deltas the fabric sent, must equal
 * the full recompute from the model — OVN's CHECK_NO_CHANGE_AFTER_RECOMPUTE, host by host.
 */
@SpringBootTest(classes = FabricTestApplication.class)
class IncrementalMatchesFullTest {

  @Autowired ApplicationContext ctx;
  @Autowired HostTableService tables;

  @Test
  void randomOperationSequencesKeepIncrementalEqualToFull() {
    Random random = SeededRandom.create("IncrementalMatchesFullTest");
    Cloud cloud = new Cloud(ctx).build(6, random.nextBoolean() ? "NVGRE" : "VXLAN").ready();
    SimAgents agents = new SimAgents(tables);
    List<VmNetwork> nets = new ArrayList<>();
    List<Subnet> subnets = new ArrayList<>();
    List<Vm> vms = new ArrayList<>();
    int[] counter = {0};
    for (int i = 0; i < 3; i++) {
      VmNetwork n = cloud.network("net" + i);
      nets.add(n);
      subnets.add(cloud.subnet(n, "s0", "10." + i + ".0.0/24", true));
    }
    int ops = 220;
    for (int op = 0; op < ops; op++) {
      int kind = random.nextInt(100);
      String context = "op " + op + " kind " + kind;
      try {
        if (kind < 35) {
          List<NewVnic> nics = new ArrayList<>();
          for (int k = 0; k <= random.nextInt(2); k++) {
            Subnet s = subnets.get(random.nextInt(subnets.size()));
            nics.add(random.nextBoolean() ? Cloud.dhcpNic(s) : staticNic(s, random));
          }
          vms.add(cloud.vm("vm" + counter[0]++, nics));
        } else if (kind < 45 && !vms.isEmpty()) {
          Vm vm = vms.remove(random.nextInt(vms.size()));
          cloud.vms.deleteVm(cloud.tenantCaller, cloud.tenant, vm.id());
        } else if (kind < 62 && !vms.isEmpty()) {
          Vm vm = vms.get(random.nextInt(vms.size()));
          HostId to = cloud.hostIds.get(random.nextInt(cloud.hostIds.size()));
          cloud.vms.migrate(Cloud.OPERATOR, vm.id(), to);
        } else if (kind < 75 && !vms.isEmpty()) {
          Vm vm =
              cloud.vms.getVm(
                  Cloud.OPERATOR, cloud.tenant, vms.get(random.nextInt(vms.size())).id());
          for (Vnic nic : vm.nics()) {
            if (nic.address() == null && vm.placement().isPresent()) {
              cloud.vms.leaseDhcpAddress(vm.placement().get().hostId(), nic.id());
            }
          }
        } else if (kind < 80) {
          VmNetwork n = nets.get(random.nextInt(nets.size()));
          int idx = subnets.size();
          subnets.add(
              cloud.subnet(
                  n,
                  "s" + idx,
                  "10." + nets.indexOf(n) + "." + idx + ".0/24",
                  random.nextBoolean()));
        } else if (kind < 83 && subnets.size() > 3) {
          Subnet s = subnets.get(random.nextInt(subnets.size()));
          cloud.networks.deleteSubnet(cloud.tenantCaller, cloud.tenant, s.id());
          subnets.remove(s);
        } else if (kind < 86) {
          HostId h = cloud.hostIds.get(random.nextInt(cloud.hostIds.size()));
          cloud.hosts.setHostState(Cloud.OPERATOR, h, HostState.DRAINING);
          cloud.hosts.setHostState(Cloud.OPERATOR, h, HostState.READY);
        } else if (kind < 90 && op > 10) {
          VmNetwork n = cloud.network("net" + nets.size());
          nets.add(n);
          subnets.add(
              cloud.subnet(n, "s" + subnets.size(), "10." + (nets.size() - 1) + ".0.0/24", true));
        } else {
          // Agents apply and report, which drives live migrations forward.
          HostId h = cloud.hostIds.get(random.nextInt(cloud.hostIds.size()));
          agents.syncAndReport(h);
        }
      } catch (FabricException | IpamException refused) {
        // refusals are part of life (full hosts, subnets in use); nothing may be half-compiled
      }
      for (HostId h : cloud.hostIds) {
        if (random.nextInt(3) == 0) {
          agents.sync(h);
        }
      }
      if (op % 20 == 19 || op == ops - 1) {
        // Placement reads each host's kept VM count; place, move, drain and delete must keep it.
        org.assertj.core.api.Assertions.assertThat(
                org.springframework.jdbc.core.simple.JdbcClient.create(
                        ctx.getBean(javax.sql.DataSource.class))
                    .sql(
                        "SELECT count(*) FROM fabric_host h WHERE h.vm_count <>"
                            + " (SELECT count(*) FROM fabric_vm v WHERE v.host_id = h.id)")
                    .query(Long.class)
                    .single())
            .as("%s: hosts whose vm_count is wrong", context)
            .isZero();
        for (HostId h : cloud.hostIds) {
          agents.sync(h);
          agents.assertMatchesFull(h, context);
        }
      }
    }
    // A fresh agent (snapshot) and the incremental one agree too.
    SimAgents fresh = new SimAgents(tables);
    for (HostId h : cloud.hostIds) {
      fresh.sync(h);
      fresh.assertMatchesFull(h, "fresh agent");
    }
    System.out.printf(
        "[tables] %d ops: %d deltas, %d snapshots applied%n", ops, agents.deltas, agents.snapshots);
  }

  private static NewVnic staticNic(Subnet s, Random random) {
    String base = s.cidr().substring(0, s.cidr().lastIndexOf('.'));
    return Cloud.staticNic(s, base + "." + (2 + random.nextInt(90)));
  }
}
