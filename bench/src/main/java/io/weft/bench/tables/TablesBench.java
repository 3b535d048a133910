package io.weft.bench.tables;

import io.weft.bench.tables.BulkCloud.Cloud;
import io.weft.bench.tables.BulkCloud.SubnetRow;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.TableJson;
import io.weft.dataplane.table.TableMessage;
import io.weft.fabric.HostId;
import io.weft.fabric.NewVm;
import io.weft.fabric.NewVnic;
import io.weft.fabric.TenantId;
import io.weft.fabric.Vm;
import io.weft.fabric.VmId;
import io.weft.fabric.VmService;
import io.weft.fabric.tables.AgentReport;
import io.weft.fabric.tables.HostTableService;
import io.weft.fabric.tables.MigrationRecord;
import io.weft.fabric.tables.TablesBusyException;
import io.weft.fabric.tables.internal.CompileStats;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The tables scale harness. Generates a cloud with {@link BulkCloud} (services for hosts, tenants,
 * networks and subnets; JDBC batches for the VMs and vNICs), checks it, runs one simulated agent
 * per host (a virtual thread long-polling {@link HostTableService} in-process, applying and
 * reporting), then measures, per change made through the fabric's services: commit → every affected
 * host applied for placements and live migrations, compile time per change, and afterwards snapshot
 * size per host, heap, and whether every agent's incrementally maintained table equals the full
 * recompute.
 *
 * <p>Args: {@code HOSTS NETWORKS VMS_PER_NETWORK CHANGES [AGENTS] [postgres]}. AGENTS 0 measures
 * compile time only (for clouds too big to hold 1,000 agents' tables in this JVM); {@code postgres}
 * runs on a throwaway database of the local PostgreSQL instead of H2 in memory.
 */
public final class TablesBench {

  private static final int WARM_UP = 30;

  private final Map<HostId, HostTable> applied = new ConcurrentHashMap<>();
  private final Map<HostId, Long> appliedAtNanos = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong reportFailures =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile boolean running = true;

  public static void main(String[] args) throws Exception {
    BenchArgs parsed = BenchArgs.parse(args);
    int hosts = parsed.number(0, 100);
    int networks = parsed.number(1, 200);
    int vmsPerNetwork = parsed.number(2, 5);
    int changes = parsed.number(3, 100);
    int agents = parsed.number(4, -1);
    BenchDatabase.run(
        parsed.postgres(),
        "tables-bench",
        database ->
            new TablesBench().run(database, hosts, networks, vmsPerNetwork, changes, agents));
  }

  private void run(
      BenchDatabase database,
      int hostCount,
      int networkCount,
      int vmsPerNetwork,
      int changes,
      int agentArg)
      throws Exception {
    boolean withAgents = agentArg != 0;
    System.out.printf(
        "tables bench: %d hosts, %d VM networks x %d VMs (1 vNIC each), %d measured changes,"
            + " agents: %s, %s%n",
        hostCount,
        networkCount,
        vmsPerNetwork,
        changes,
        withAgents ? hostCount : 0,
        database.describe());
    try (ConfigurableApplicationContext ctx =
        database.start(
            TablesBenchApplication.class,
            "classpath:db/migration/ipam,classpath:db/migration/fabric")) {
      VmService vms = ctx.getBean(VmService.class);
      HostTableService tables = ctx.getBean(HostTableService.class);
      CompileStats stats = ctx.getBean(CompileStats.class);
      JdbcClient jdbc = JdbcClient.create(ctx.getBean(DataSource.class));

      Cloud cloud = BulkCloud.generate(ctx, hostCount, networkCount, vmsPerNetwork, 42);
      System.out.printf(
          "generated %d vNICs: services (hosts, tenants, networks, subnets) %.1f s, bulk VMs %.1f s%n",
          cloud.vnics(), cloud.servicesSeconds(), cloud.bulkSeconds());
      long tv = System.nanoTime();
      List<String> problems = CloudCheck.check(ctx.getBean(DataSource.class), new Random(7), 200);
      System.out.printf(
          "generated cloud checked in %.1f s: %s%n",
          (System.nanoTime() - tv) / 1e9, problems.isEmpty() ? "consistent" : problems);
      long heapFabric = heapAfterGc();

      List<HostId> hosts = cloud.hosts();
      if (withAgents) {
        long ts = System.nanoTime();
        for (HostId h : hosts) {
          Thread.ofVirtual().start(() -> agent(tables, h));
        }
        awaitQuiet(jdbc, hosts, Duration.ofMinutes(30));
        System.out.printf(
            "%d agents fetched their snapshots (the full build) in %.1f s%n",
            hosts.size(), (System.nanoTime() - ts) / 1e9);
      }
      long heapWithAgents = heapAfterGc();

      Random random = new Random(42);
      int total = changes + WARM_UP;
      long[] place = new long[changes];
      long[] move = new long[changes];
      long[] compilePlace = new long[total];
      long[] compileMove = new long[total];
      List<VmId> all = new ArrayList<>(cloud.vms().stream().map(VmId::new).toList());
      for (int i = 0; i < total; i++) {
        int m = i - WARM_UP;
        // Placement: a new VM in a random network, placed by the fabric's policy.
        int n = random.nextInt(cloud.subnets().size());
        SubnetRow s = cloud.subnets().get(n);
        Map<UUID, Long> before = withAgents ? generations(jdbc) : Map.of();
        long start = System.nanoTime();
        Vm vm =
            vms.createVm(
                cloud.admin(s.tenant()),
                new TenantId(s.tenant()),
                new NewVm(
                    "x" + i,
                    List.of(
                        new NewVnic(
                            s.id().toString(), "STATIC", BulkCloud.address(vmsPerNetwork + i)))));
        compilePlace[i] = stats.lastNanos();
        if (withAgents) {
          Map<UUID, Long> after = generations(jdbc);
          Map<HostId, Long> targets = new HashMap<>();
          after.forEach((h, g) -> {
            if (g > before.getOrDefault(h, 0L)) {
              targets.put(new HostId(h), g);
            }
          });
          long done = awaitApplied(targets, Duration.ofSeconds(30));
          if (m >= 0) {
            place[m] = done - start;
          }
          awaitQuiet(jdbc, hosts, Duration.ofSeconds(60));
        }
        all.add(vm.id());

        // Migration: a random VM to a random other host.
        VmId target = all.get(random.nextInt(all.size()));
        HostId to = hosts.get(random.nextInt(hosts.size()));
        start = System.nanoTime();
        try {
          vms.migrate(BulkCloud.OP, target, to);
        } catch (RuntimeException sameHost) {
          to = hosts.get((hosts.indexOf(to) + 1) % hosts.size());
          start = System.nanoTime();
          vms.migrate(BulkCloud.OP, target, to);
        }
        compileMove[i] = stats.lastNanos();
        if (withAgents) {
          MigrationRecord r = tables.migrations(BulkCloud.OP, 1).getFirst();
          long done = awaitApplied(Map.of(r.to(), r.destGeneration()), Duration.ofSeconds(30));
          if (m >= 0) {
            move[m] = done - start;
          }
          awaitQuiet(jdbc, hosts, Duration.ofSeconds(60));
        }
      }
      running = false;

      int vnics = (int) cloud.vnics() + total;
      System.out.printf(
          "vNICs: %d, hosts: %d, agents: %d (after %d unmeasured warm-up changes of each kind)%n",
          vnics, hostCount, withAgents ? hostCount : 0, WARM_UP);
      if (withAgents) {
        report("placement commit->all affected applied", place);
        report("migration commit->destination applied (first make-before-break step)", move);
      }
      report("compile per placement", Arrays.copyOfRange(compilePlace, WARM_UP, total));
      report("compile per migration", Arrays.copyOfRange(compileMove, WARM_UP, total));
      if (withAgents) {
        migrationTimeline(tables.migrations(BulkCloud.OP, changes));
        long snapshotMax = 0;
        long snapshotSum = 0;
        int mismatches = 0;
        for (HostId h : hosts) {
          HostTable full = tables.intendedTable(h);
          long size = TableJson.writeSnapshot(full).length();
          snapshotMax = Math.max(snapshotMax, size);
          snapshotSum += size;
          HostTable mine = applied.get(h);
          if (mine == null
              || mine.generation() != full.generation()
              || !TableJson.digest(mine).equals(TableJson.digest(full))) {
            mismatches++;
          }
        }
        System.out.printf(
            "snapshot per host (JSON): mean %d B, max %d B%n",
            snapshotSum / hosts.size(), snapshotMax);
        System.out.printf(
            "agents' tables (snapshot + every delta since) equal to the full recompute: %d of %d"
                + " hosts%n",
            hosts.size() - mismatches, hosts.size());
      }
      List<String> after = CloudCheck.check(ctx.getBean(DataSource.class), new Random(8), 200);
      System.out.printf(
          "compiler memory vs model after the changes: %s%n",
          after.isEmpty() ? "consistent" : after);
      System.out.printf("failed agent reports (retried): %d%n", reportFailures.get());
      System.out.printf(
          "heap after GC: fabric + database %d MiB; with the agents' tables %d MiB%n",
          heapFabric >> 20, heapWithAgents >> 20);
    }
  }

  private static long heapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void migrationTimeline(List<MigrationRecord> recent) {
    List<Long> complete = new ArrayList<>();
    long stale = -1;
    long done = 0;
    for (MigrationRecord r : recent) {
      if (r.staleWindowMillis() != null) {
        stale = Math.max(stale, r.staleWindowMillis());
      }
      if ("DONE".equals(r.phase())) {
        done++;
      }
      if (r.sourceAppliedAt() != null && r.startedAt() != null) {
        complete.add(Duration.between(r.startedAt(), r.sourceAppliedAt()).toNanos());
      }
    }
    if (!complete.isEmpty()) {
      report(
          "migration started->source applied its drop (whole make-before-break)",
          complete.stream().mapToLong(Long::longValue).toArray());
    }
    System.out.printf(
        "migrations DONE: %d of %d; max stale window: %d ms%n", done, recent.size(), stale);
  }

  /** An agent: long-poll (with jitter, as real agents do), apply, record when, report. */
  private void agent(HostTableService tables, HostId host) {
    while (running) {
      HostTable current = applied.get(host);
      long since = current == null ? 0 : current.generation();
      try {
        Duration wait = Duration.ofMillis(20_000 + ThreadLocalRandom.current().nextInt(10_000));
        Optional<TableMessage> m = tables.awaitChanges(host, since, wait);
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
        report(tables, host, next.generation());
      } catch (TablesBusyException e) {
        sleepQuietly(e.retryAfter()); // its turn for a snapshot comes later
      } catch (RuntimeException e) {
        if (running) {
          System.err.println("agent " + host + ": " + e);
        }
        applied.remove(host);
      }
    }
  }

  /** Reports, retrying a few times as a real agent would (a report may lose a deadlock). */
  private void report(HostTableService tables, HostId host, long generation) {
    for (int attempt = 1; ; attempt++) {
      try {
        tables.reportApplied(host, new AgentReport(generation, null, null, null));
        return;
      } catch (RuntimeException e) {
        reportFailures.incrementAndGet();
        if (attempt == 5 || !running) {
          throw e;
        }
      }
    }
  }

  private static Map<UUID, Long> generations(JdbcClient jdbc) {
    Map<UUID, Long> out = new HashMap<>();
    jdbc.sql("SELECT host_id, generation FROM fabric_table_host")
        .query(rs -> {
          out.put(rs.getObject(1, UUID.class), rs.getLong(2));
        });
    return out;
  }

  /** Waits until each host applied at least its target; returns when the last of them did. */
  private long awaitApplied(Map<HostId, Long> targets, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      long last = 0;
      boolean all = true;
      for (Map.Entry<HostId, Long> e : targets.entrySet()) {
        HostTable t = applied.get(e.getKey());
        if (t == null || t.generation() < e.getValue()) {
          all = false;
          break;
        }
        last = Math.max(last, appliedAtNanos.getOrDefault(e.getKey(), 0L));
      }
      if (all) {
        return last;
      }
      Thread.sleep(0, 200_000);
    }
    throw new IllegalStateException("agents did not apply " + targets + " within " + max);
  }

  private static void sleepQuietly(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until every agent applied its host's current generation and no migration is moving. */
  private void awaitQuiet(JdbcClient jdbc, List<HostId> hosts, Duration max)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      Map<UUID, Long> current = generations(jdbc);
      boolean all = true;
      for (HostId h : hosts) {
        HostTable t = applied.get(h);
        if (t == null || t.generation() != current.get(h.value())) {
          all = false;
          break;
        }
      }
      if (all
          && jdbc.sql("SELECT count(*) FROM fabric_table_moving").query(Long.class).single() == 0) {
        return;
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException(
        "agents did not catch up within "
            + max
            + "; moving: "
            + jdbc.sql("SELECT * FROM fabric_table_moving").query().listOfRows()
            + "; last migration: "
            + jdbc.sql(
                    "SELECT * FROM fabric_table_migration ORDER BY started_at DESC FETCH FIRST 1"
                        + " ROWS ONLY")
                .query()
                .listOfRows());
  }

  private static void report(String what, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf(
        "%s: p50 %.2f ms, p99 %.2f ms, max %.2f ms (n=%d)%n",
        what,
        sorted[sorted.length / 2] / 1e6,
        sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)] / 1e6,
        sorted[sorted.length - 1] / 1e6,
        sorted.length);
  }
}
