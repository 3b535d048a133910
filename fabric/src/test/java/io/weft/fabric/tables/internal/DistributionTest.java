package io.weft.fabric.tables.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.table.TableMessage;
import io.weft.fabric.FabricTestApplication;
import io.weft.fabric.HostId;
import io.weft.fabric.Subnet;
import io.weft.fabric.Vm;
import io.weft.fabric.VmNetwork;
import io.weft.fabric.tables.HostTableService;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Distribution across a fabric restart: a change touches only the hosts of its VM network; an agent
 * that was away catches up with one folded delta; one too far behind gets a snapshot.
 */
class DistributionTest {

  private static ConfigurableApplicationContext start(String db) {
    return new SpringApplicationBuilder(FabricTestApplication.class)
        .run(
            "--spring.datasource.url=jdbc:h2:mem:" + db + ";DB_CLOSE_DELAY=-1",
            "--weft.tables.log-retain=40");
  }

  @Test
  void commonChangeTakesIncrementalPathAndAgentsCatchUpAfterRestart() {
    String db = "dist-" + UUID.randomUUID();
    SimAgents agents;
    Cloud cloud;
    HostId far;
    Subnet bigSubnet;
    try (ConfigurableApplicationContext ctx = start(db)) {
      long t0 = System.nanoTime();
      cloud = new Cloud(ctx).build(10, "NVGRE").ready();
      System.out.printf("[tables] build: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      agents = new SimAgents(ctx.getBean(HostTableService.class));
      VmNetwork big = cloud.network("big");
      Subnet s = cloud.subnet(big, "s", "10.1.0.0/24", false);
      for (int i = 0; i < 20; i++) {
        cloud.vm("a" + i, List.of(Cloud.staticNic(s, "10.1.0." + (10 + i))));
      }
      VmNetwork small = cloud.network("small");
      Subnet t = cloud.subnet(small, "t", "10.2.0.0/24", true);
      Vm first = cloud.vm("b0", List.of(Cloud.staticNic(t, "10.2.0.10")));
      Vm second = cloud.vm("b1", List.of(Cloud.staticNic(t, "10.2.0.11")));
      cloud.hostIds.forEach(agents::sync);
      System.out.printf("[tables] 22 VMs: %d ms%n", (System.nanoTime() - t0) / 1_000_000);

      // The common change: one more VM in the small network on a host that already has it.
      HostId onHost = host(cloud, first);
      moveTo(cloud, second, other(cloud, onHost));
      Map<HostId, Long> before = generations(cloud, agents);
      CompileStats stats = ctx.getBean(CompileStats.class);
      Vm third = cloud.vm("b2", List.of(Cloud.staticNic(t, "10.2.0.12")));
      moveTo(cloud, third, onHost);
      Set<HostId> spanNow = new HashSet<>(List.of(onHost, host(cloud, second)));
      Map<HostId, Long> after = generations(cloud, agents);
      Set<HostId> changed =
          after.keySet().stream()
              .filter(h -> !after.get(h).equals(before.get(h)))
              .collect(Collectors.toSet());
      // create touched the host the policy chose, the move its source and destination, and the
      // other host of the small network: never a host without the small network.
      assertThat(stats.lastHostsTouched()).isLessThanOrEqualTo(3);
      assertThat(changed).containsAll(spanNow);
      assertThat(changed.size()).isLessThanOrEqualTo(4);
      for (HostId h : cloud.hostIds) {
        agents.sync(h);
        agents.assertMatchesFull(h, "after the common change");
      }
      // Several changes while one agent is away, then the fabric restarts.
      far = cloud.hostIds.get(0);
      HostId away = onHost;
      for (int i = 0; i < 3; i++) {
        Vm v = cloud.vm("c" + i, List.of(Cloud.staticNic(t, "10.2.0." + (30 + i))));
        cloud.vms.migrate(
            Cloud.OPERATOR, v.id(), away.equals(host(cloud, v)) ? other(cloud, away) : away);
      }
      bigSubnet = s;
    }
    try (ConfigurableApplicationContext ctx = start(db)) {
      SimAgents restarted = new SimAgents(ctx.getBean(HostTableService.class));
      cloud = cloud.rebind(ctx);
      restarted.applied.putAll(agents.applied);
      int deltasBefore = restarted.deltas;
      HostId away =
          cloud.hostIds.stream()
              .filter(h ->
                  restarted
                      .tables
                      .changesSince(h, agents.applied.get(h).generation())
                      .filter(m ->
                          m instanceof TableMessage.Delta d
                              && d.delta().toGeneration() - d.delta().fromGeneration() > 1)
                      .isPresent())
              .findFirst()
              .orElseThrow();
      restarted.sync(away);
      assertThat(restarted.deltas).as("caught up with one delta").isEqualTo(deltasBefore + 1);
      restarted.assertMatchesFull(away, "catch-up after restart");

      long t0 = System.nanoTime();
      for (int i = 0; i < 25; i++) {
        Vm v = cloud.vm("d" + i, List.of(Cloud.staticNic(bigSubnet, "10.1.0." + (100 + i))));
        cloud.vms.deleteVm(cloud.tenantCaller, cloud.tenant, v.id());
      }
      System.out.printf("[tables] 50 create/delete: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      // The big network moved 50 generations on, beyond the 40 the log keeps: snapshot.
      HostId bigHost =
          cloud.hostIds.stream()
              .filter(
                  h -> restarted.tables.generation(h) - restarted.applied.get(h).generation() > 40)
              .findFirst()
              .orElse(far);
      int snapshotsBefore = restarted.snapshots;
      restarted.sync(bigHost);
      if (!bigHost.equals(far)) {
        assertThat(restarted.snapshots).isEqualTo(snapshotsBefore + 1);
      }
      for (HostId h : cloud.hostIds) {
        restarted.sync(h);
        restarted.assertMatchesFull(h, "after restart");
      }
    }
  }

  private static HostId host(Cloud cloud, Vm vm) {
    return cloud
        .vms
        .getVm(Cloud.OPERATOR, cloud.tenant, vm.id())
        .placement()
        .orElseThrow()
        .hostId();
  }

  private static void moveTo(Cloud cloud, Vm vm, HostId target) {
    if (!host(cloud, vm).equals(target)) {
      cloud.vms.migrate(Cloud.OPERATOR, vm.id(), target);
    }
  }

  private static HostId other(Cloud cloud, HostId not) {
    return cloud.hostIds.stream().filter(h -> !h.equals(not)).findFirst().orElseThrow();
  }

  private static Map<HostId, Long> generations(Cloud cloud, SimAgents agents) {
    return cloud.hostIds.stream()
        .collect(Collectors.toMap(h -> h, h -> agents.tables.generation(h)));
  }
}
