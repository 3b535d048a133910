package io.weft.bench.tables;

import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.TableJson;
import io.weft.dataplane.table.TableMessage;
import io.weft.fabric.Caller;
import io.weft.fabric.HostId;
import io.weft.fabric.HostService;
import io.weft.fabric.HostState;
import io.weft.fabric.NetworkService;
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
import io.weft.fabric.VmService;
import io.weft.fabric.identity.AccountId;
import io.weft.fabric.identity.Role;
import io.weft.fabric.tables.AgentReport;
import io.weft.fabric.tables.HostTableService;
import io.weft.fabric.tables.internal.CompileStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Generates a cloud through the fabric's services, runs one simulated agent per host (a virtual
 * thread long-polling {@link HostTableService} in-process, applying and reporting), then measures
 * commit → every affected host applied for placements and migrations, compile time per change at
 * the cloud's size, snapshot size per host and heap. Args: hosts networks vmsPerNetwork changes.
 */
public final class TablesBench {

  private static final Caller OP =
      new Caller(new AccountId(UUID.randomUUID()), "bench", Role.OPERATOR, Optional.empty());

  private final Map<HostId, HostTable> applied = new ConcurrentHashMap<>();
  private final Map<HostId, Long> appliedAtNanos = new ConcurrentHashMap<>();
  private volatile boolean running = true;

  public static void main(String[] args) throws Exception {
    int hosts = arg(args, 0, 100);
    int networks = arg(args, 1, 200);
    int vmsPerNetwork = arg(args, 2, 5);
    int changes = arg(args, 3, 100);
    new TablesBench().run(hosts, networks, vmsPerNetwork, changes);
  }

  private static int arg(String[] args, int i, int dflt) {
    return args.length > i ? Integer.parseInt(args[i]) : dflt;
  }

  private void run(int hostCount, int networkCount, int vmsPerNetwork, int changes)
      throws Exception {
    System.out.printf(
        "tables bench: %d hosts, %d VM networks x %d VMs (1 vNIC each), %d measured changes, %d cpus%n",
        hostCount,
        networkCount,
        vmsPerNetwork,
        changes,
        Runtime.getRuntime().availableProcessors());
    try (ConfigurableApplicationContext ctx =
        new SpringApplicationBuilder(TablesBenchApplication.class)
            .run(
                "--spring.datasource.url=jdbc:h2:mem:tables-bench;DB_CLOSE_DELAY=-1",
                "--spring.flyway.locations=classpath:db/migration/ipam,classpath:db/migration/fabric",
                "--spring.main.banner-mode=off",
                "--logging.level.root=warn",
                "--weft.admin-password=bench-password-123",
                "--spring.jpa.open-in-view=false")) {
      HostService hostService = ctx.getBean(HostService.class);
      NetworkService nets = ctx.getBean(NetworkService.class);
      VmService vms = ctx.getBean(VmService.class);
      TenantService tenants = ctx.getBean(TenantService.class);
      HostTableService tables = ctx.getBean(HostTableService.class);
      CompileStats stats = ctx.getBean(CompileStats.class);

      long t0 = System.nanoTime();
      String ln =
          hostService
              .createLogicalNetwork(
                  OP, new NewLogicalNetwork("bench", "10.128.0.0/12", "VXLAN", 1550))
              .id()
              .toString();
      List<HostId> hosts = new ArrayList<>();
      for (int i = 0; i < hostCount; i++) {
        HostId h = hostService.registerHost(OP, new NewHost("h" + i, ln, null, 4096)).host().id();
        hostService.setHostState(OP, h, HostState.READY);
        hosts.add(h);
      }
      TenantId tenant =
          tenants.signup(new SignupRequest("Bench", "bench@example.com", "Password-123456")).id();
      tenants.updateQuotas(OP, tenant, new Quotas(1_000_000, 1_000_000, 1_000_000, 1_000_000, 5));
      Caller admin =
          new Caller(new AccountId(UUID.randomUUID()), "b", Role.TENANT_ADMIN, Optional.of(tenant));
      List<Subnet> subnets = new ArrayList<>();
      List<Vm> all = new ArrayList<>();
      for (int n = 0; n < networkCount; n++) {
        var net = nets.createVmNetwork(admin, tenant, "n" + n);
        Subnet s =
            nets.createSubnet(
                admin, tenant, net.id(), new NewSubnet("s", "10.0.0.0/16", null, List.of()));
        subnets.add(s);
        for (int v = 0; v < vmsPerNetwork; v++) {
          all.add(vm(vms, admin, tenant, s, "n" + n + "v" + v, v));
        }
      }
      System.out.printf("generated in %.1f s%n", (System.nanoTime() - t0) / 1e9);

      for (HostId h : hosts) {
        Thread.ofVirtual().start(() -> agent(tables, h));
      }
      awaitAllCurrent(tables, hosts, Duration.ofMinutes(5));
      System.gc();
      long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();

      Random random = new Random(42);
      long[] place = new long[changes];
      long[] move = new long[changes];
      long[] compilePlace = new long[changes];
      long[] compileMove = new long[changes];
      for (int i = 0; i < changes; i++) {
        Subnet s = subnets.get(random.nextInt(subnets.size()));
        long start = System.nanoTime();
        Vm vm = vm(vms, admin, tenant, s, "x" + i, 1000 + i);
        compilePlace[i] = stats.lastNanos();
        place[i] = awaitAllCurrent(tables, hosts, Duration.ofSeconds(30)) - start;
        Vm target = all.get(random.nextInt(all.size()));
        HostId to = hosts.get(random.nextInt(hosts.size()));
        start = System.nanoTime();
        try {
          vms.migrate(OP, target.id(), to);
        } catch (RuntimeException sameHost) {
          to = hosts.get((hosts.indexOf(to) + 1) % hosts.size());
          start = System.nanoTime();
          vms.migrate(OP, target.id(), to);
        }
        compileMove[i] = stats.lastNanos();
        move[i] = awaitAllCurrent(tables, hosts, Duration.ofSeconds(30)) - start;
        all.add(vm);
      }
      long snapshotMax = 0;
      long snapshotSum = 0;
      for (HostId h : hosts) {
        long size = TableJson.writeSnapshot(tables.intendedTable(h)).length();
        snapshotMax = Math.max(snapshotMax, size);
        snapshotSum += size;
      }
      running = false;
      int vnics = networkCount * vmsPerNetwork + changes;
      System.out.printf("vNICs: %d, hosts: %d, agents: %d%n", vnics, hostCount, hostCount);
      report("placement commit->all affected applied", place);
      report("migration commit->all affected applied (destination step)", move);
      report("compile per placement", compilePlace);
      report("compile per migration", compileMove);
      System.out.printf(
          "snapshot per host: mean %d B, max %d B; heap after warm-up GC: %d MiB%n",
          snapshotSum / hosts.size(), snapshotMax, heap >> 20);
      var recent = tables.migrations(OP, 1000);
      long stale =
          recent.stream()
              .filter(m -> m.staleWindowMillis() != null)
              .mapToLong(m -> m.staleWindowMillis())
              .max()
              .orElse(-1);
      long finished = recent.stream().filter(m -> m.phase().equals("DONE")).count();
      System.out.printf(
          "migrations DONE: %d of %d; max stale window: %d ms%n", finished, recent.size(), stale);
    }
  }

  private static Vm vm(VmService vms, Caller admin, TenantId tenant, Subnet s, String name, int i) {
    String address = "10.0." + (i / 250) + "." + (2 + i % 250);
    return vms.createVm(
        admin, tenant, new NewVm(name, List.of(new NewVnic(s.id().toString(), "STATIC", address))));
  }

  /** An agent: long-poll, apply, record when, report. */
  private void agent(HostTableService tables, HostId host) {
    while (running) {
      HostTable current = applied.get(host);
      long since = current == null ? 0 : current.generation();
      try {
        Optional<TableMessage> m = tables.awaitChanges(host, since, Duration.ofSeconds(5));
        if (m.isEmpty()) {
          continue;
        }
        HostTable next =
            switch (m.get()) {
              case TableMessage.Snapshot s -> s.table();
              case TableMessage.Delta d -> d.delta().applyTo(current);
            };
        applied.put(host, next);
        appliedAtNanos.put(host, System.nanoTime());
        tables.reportApplied(host, new AgentReport(next.generation(), null, null, null));
      } catch (RuntimeException e) {
        applied.remove(host);
      }
    }
  }

  /** Waits until every agent applied its host's current generation; returns when that was. */
  private long awaitAllCurrent(HostTableService tables, List<HostId> hosts, Duration max)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      boolean all = true;
      long last = 0;
      for (HostId h : hosts) {
        HostTable t = applied.get(h);
        if (t == null || t.generation() != tables.generation(h)) {
          all = false;
          break;
        }
        last = Math.max(last, appliedAtNanos.getOrDefault(h, 0L));
      }
      if (all) {
        return last;
      }
      Thread.sleep(1);
    }
    throw new IllegalStateException("agents did not catch up within " + max);
  }

  private static void report(String what, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf(
        "%s: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
        what,
        sorted[sorted.length / 2] / 1e6,
        sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e6,
        sorted[sorted.length - 1] / 1e6);
  }
}
