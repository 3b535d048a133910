package io.weft.diagnostics.drops;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.diagnostics.DropQuery;
import io.weft.diagnostics.DropRecords;
import io.weft.diagnostics.ReportedDrop;
import io.weft.diagnostics.trace.TraceTestApplication;
import io.weft.diagnostics.trace.TraceWorld;
import io.weft.fabric.HostId;
import io.weft.fabric.HostState;
import io.weft.fabric.Subnet;
import io.weft.fabric.Vm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

/**
 * An agent that resends a report (its answer was lost) while the same records are being stored from
 * another request must not get a 500 from the unique key: every report is accepted and each record
 * is stored once.
 */
@SpringBootTest(classes = TraceTestApplication.class)
class ConcurrentDropReportsTest {

  private static final int REPORTS = 6;
  private static final int RECORDS = 300;

  @Autowired ApplicationContext context;
  @Autowired DropRecords drops;

  @Test
  void theSameRecordsReportedAtOnceAreAllAcceptedAndStoredOnce() throws Exception {
    TraceWorld world = new TraceWorld(context).hosts(1, 10, 1500).tenant();
    HostId host = world.hostIds.getFirst();
    Subnet web = world.subnet(world.network("race"), "web", "10.9.0.0/24", false);
    Vm vm = world.staticVm("racer", web, "10.9.0.10");
    assertThat(world.hostOf(vm)).isEqualTo(host);
    List<ReportedDrop> batch = records(vm, web.vsid());
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(REPORTS)) {
      List<Future<?>> reports = new ArrayList<>();
      for (int i = 0; i < REPORTS; i++) {
        reports.add(
            pool.submit(() -> {
              start.await();
              drops.record(host, 0, Map.of(), batch);
              return null;
            }));
      }
      start.countDown();
      for (Future<?> report : reports) {
        report.get(); // throws if any report failed
      }
      var stored = drops.recent(TraceWorld.OPERATOR, new DropQuery(null, host.toString(), 1000));
      assertThat(stored.drops()).hasSize(RECORDS);
    } finally {
      world.vms.deleteVm(world.tenantCaller, world.tenant, vm.id());
      world.hosts.setHostState(TraceWorld.OPERATOR, host, HostState.DOWN);
    }
  }

  private static List<ReportedDrop> records(Vm vm, int vsid) {
    var nic = vm.nics().getFirst();
    Instant at = Instant.now();
    List<ReportedDrop> out = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      out.add(
          new ReportedDrop(
              50_000 + i,
              at.plusNanos(i * 1000L),
              nic.id().toString(),
              vsid,
              nic.address(),
              "10.9.0.99",
              "ARP",
              0,
              0,
              "NO_ROUTE",
              "no record for 10.9.0.99",
              1,
              null));
    }
    return out;
  }
}
