package io.weft.bench.tables;

import io.weft.bench.tables.BulkCloud.Cloud;
import io.weft.bench.tables.BulkCloud.SubnetRow;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.TableJson;
import io.weft.diagnostics.AppliedDigests;
import io.weft.diagnostics.ConnectivityDiagnostics;
import io.weft.diagnostics.TraceAnswer;
import io.weft.diagnostics.TraceRequest;
import io.weft.fabric.HostId;
import io.weft.fabric.tables.AgentReport;
import io.weft.fabric.tables.HostTableService;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.sql.DataSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The trace benchmark (issue 12: under 50 ms at p99 on 1,000 hosts and 100,000 vNICs). Generates
 * the cloud with the tables benchmark's {@link BulkCloud}, marks every host as having applied its
 * intended table (generation, digest and per-network digests, as an agent in sync reports them),
 * then times {@link ConnectivityDiagnostics#trace} as the tenant for random pairs of vNICs in the
 * same VM network (on different hosts as placement spreads them): each call runs the trace over
 * intended tables and again over applied tables, and writes its audit line.
 *
 * <p>Args: {@code HOSTS NETWORKS VMS_PER_NETWORK TRACES [postgres]}; defaults 1000 1000 100 1000.
 */
public final class TraceBench {

  private static final int WARM_UP = 100;

  public static void main(String[] args) throws Exception {
    BenchArgs parsed = BenchArgs.parse(args);
    int hosts = parsed.number(0, 1000);
    int networks = parsed.number(1, 1000);
    int vmsPerNetwork = parsed.number(2, 100);
    int traces = parsed.number(3, 1000);
    BenchDatabase.run(
        parsed.postgres(),
        "trace-bench",
        database -> run(database, hosts, networks, vmsPerNetwork, traces));
  }

  private static void run(
      BenchDatabase database, int hostCount, int networkCount, int vmsPerNetwork, int traces)
      throws Exception {
    System.out.printf(
        "trace bench: %d hosts, %d VM networks x %d VMs (1 vNIC each), %d traces, %s%n",
        hostCount, networkCount, vmsPerNetwork, traces, database.describe());
    try (ConfigurableApplicationContext ctx =
        database.start(
            TraceBenchApplication.class,
            "classpath:db/migration/ipam,classpath:db/migration/fabric,"
                + "classpath:db/migration/diagnostics")) {
      Cloud cloud = BulkCloud.generate(ctx, hostCount, networkCount, vmsPerNetwork, 42);
      System.out.printf(
          "generated %d vNICs: services %.1f s, bulk VMs %.1f s%n",
          cloud.vnics(), cloud.servicesSeconds(), cloud.bulkSeconds());
      HostTableService tables = ctx.getBean(HostTableService.class);
      AppliedDigests applied = ctx.getBean(AppliedDigests.class);
      long ts = System.nanoTime();
      Map<HostId, AgentReport> reports = new HashMap<>();
      for (HostId h : cloud.hosts()) {
        HostTable t = tables.intendedTable(h);
        AgentReport report = new AgentReport(t.generation(), TableJson.digest(t), null, null);
        tables.reportApplied(h, report);
        applied.record(h, t.generation(), TableJson.networkDigests(t));
        reports.put(h, report);
      }
      // Agents in sync keep long-polling (which keeps them seen; here a report stands for it), so
      // no host counts as silent meanwhile.
      Thread.ofVirtual()
          .start(() -> {
            while (true) {
              try {
                Thread.sleep(20_000);
                reports.forEach(tables::reportApplied);
              } catch (InterruptedException | RuntimeException e) {
                return;
              }
            }
          });
      System.out.printf(
          "every host reported its intended table as applied in %.1f s%n",
          (System.nanoTime() - ts) / 1e9);

      JdbcClient jdbc = JdbcClient.create(ctx.getBean(DataSource.class));
      ConnectivityDiagnostics diagnostics = ctx.getBean(ConnectivityDiagnostics.class);
      Random random = new Random(42);
      long[] nanos = new long[traces];
      int reachable = 0;
      int agrees = 0;
      for (int i = 0; i < traces + WARM_UP; i++) {
        SubnetRow s = cloud.subnets().get(random.nextInt(cloud.subnets().size()));
        List<String[]> nics =
            jdbc.sql(
                    "SELECT id, address FROM fabric_vnic WHERE subnet_id = :s ORDER BY id"
                        + " OFFSET :o ROWS FETCH FIRST 2 ROWS ONLY")
                .param("s", s.id())
                .param("o", random.nextInt(Math.max(1, vmsPerNetwork - 2)))
                .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)})
                .list();
        if (nics.size() < 2) {
          continue;
        }
        long t0 = System.nanoTime();
        TraceAnswer answer =
            diagnostics.trace(
                cloud.admin(s.tenant()), TraceRequest.ping(nics.get(0)[0], nics.get(1)[1]));
        long took = System.nanoTime() - t0;
        if (i >= WARM_UP) {
          nanos[i - WARM_UP] = took;
          reachable += answer.reachable() ? 1 : 0;
          agrees += answer.applied() != null && answer.applied().agrees() ? 1 : 0;
          if (!answer.reachable() && i - WARM_UP < 3) {
            System.out.println("not reachable: " + answer.summary());
          }
        }
      }
      Arrays.sort(nanos);
      System.out.printf(
          "trace (intended + applied, tenant, ICMP there and back): %d traces, p50 %.1f ms, p90 %.1f"
              + " ms, p99 %.1f ms, max %.1f ms; reachable %d, applied agrees %d%n",
          traces,
          nanos[traces / 2] / 1e6,
          nanos[traces * 9 / 10] / 1e6,
          nanos[Math.min(traces - 1, traces * 99 / 100)] / 1e6,
          nanos[traces - 1] / 1e6,
          reachable,
          agrees);
    }
  }
}
