package io.weft.diagnostics.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.diagnostics.AppliedDigests;
import io.weft.diagnostics.HostObservations;
import io.weft.diagnostics.ObservedAddress;
import io.weft.diagnostics.ReconciliationService;
import io.weft.fabric.HostId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What an agent's status report stores besides its table status, when two reports of one host
 * arrive at once (an agent resending after a lost answer, or coalesced lease reports): every report
 * is accepted, never a 500 from a unique key or a deadlock, and each row is stored once. The same
 * on H2 and PostgreSQL.
 */
abstract class ConcurrentReportsContract {

  private static final int REPORTS = 6;
  private static final int OBSERVATIONS = 400;

  @Autowired ReconciliationService reconciliation;
  @Autowired AppliedDigests applied;
  @Autowired JdbcClient jdbc;

  @Test
  void theSameObservationsReportedAtOnceAreAllAcceptedAndStoredOnce() throws Exception {
    reportedAtOnce("192.0.2.7", 3L);
  }

  @Test
  void observationsAloneReportedAtOnceAreAllAcceptedAndStoredOnce() throws Exception {
    reportedAtOnce(null, null);
  }

  /** Reports carrying this provider address and clock offset (null: not reported). */
  private void reportedAtOnce(String pa, Long offset) throws Exception {
    HostId host = HostId.random();
    Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    List<ObservedAddress> seen = observations(at);
    List<ObservedAddress> reversed = new ArrayList<>(seen).reversed();
    try {
      atOnce(i -> {
        // coalesced reports need not list their addresses in the same order
        var report = new HostObservations(pa, offset, "ntp.test", i % 2 == 0 ? seen : reversed);
        reconciliation.recordObservations(host, report);
      });
      assertThat(count("recon_observation", host)).isEqualTo(OBSERVATIONS);
      assertThat(
              jdbc.sql("SELECT provider_address FROM recon_host_report WHERE host_id = :h")
                  .param("h", host.value())
                  .query(String.class)
                  .list())
          .hasSize(1)
          .first()
          .isEqualTo(pa);
    } finally {
      jdbc.sql("DELETE FROM recon_observation WHERE host_id = :h")
          .param("h", host.value())
          .update();
      jdbc.sql("DELETE FROM recon_host_report WHERE host_id = :h")
          .param("h", host.value())
          .update();
    }
  }

  @Test
  void aHostsFirstAppliedDigestsReportedAtOnceAreAllAccepted() throws Exception {
    HostId host = HostId.random();
    try {
      atOnce(i -> applied.record(host, 7, Map.of(UUID.randomUUID().toString(), "sha256:" + i)));
      assertThat(count("diag_applied_digests", host)).isEqualTo(1);
    } finally {
      jdbc.sql("DELETE FROM diag_applied_digests WHERE host_id = :h")
          .param("h", host.value())
          .update();
    }
  }

  private interface Report {
    void send(int index) throws Exception;
  }

  /** Sends {@link #REPORTS} reports at once; throws if any of them failed. */
  private static void atOnce(Report report) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(REPORTS)) {
      List<Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < REPORTS; i++) {
        int index = i;
        Callable<Void> send =
            () -> {
              start.await();
              report.send(index);
              return null;
            };
        sent.add(pool.submit(send));
      }
      start.countDown();
      for (Future<?> f : sent) {
        f.get(); // throws if any report failed
      }
    }
  }

  private long count(String table, HostId host) {
    return jdbc.sql("SELECT count(*) FROM " + table + " WHERE host_id = :h")
        .param("h", host.value())
        .query(Long.class)
        .single();
  }

  private static List<ObservedAddress> observations(Instant at) {
    List<ObservedAddress> out = new ArrayList<>();
    for (int i = 0; i < OBSERVATIONS; i++) {
      String port = UUID.nameUUIDFromBytes(("port-" + i / 4).getBytes()).toString();
      boolean lease = i % 4 == 3;
      out.add(
          new ObservedAddress(
              port,
              4242,
              "02:00:00:00:%02x:%02x".formatted(i / 256, i % 256),
              "10.77." + (i / 200) + "." + (i % 200 + 1),
              lease ? "LEASE" : "SOURCE",
              at.minusSeconds(60),
              at,
              lease ? at.plusSeconds(3600) : null));
    }
    return out;
  }
}
