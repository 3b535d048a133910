package io.weft.diagnostics.reconciliation;

import static io.weft.diagnostics.trace.TraceWorld.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.diagnostics.DriftReport;
import io.weft.diagnostics.HostDrift;
import io.weft.diagnostics.ReconciliationService;
import io.weft.diagnostics.ScheduledJob;
import io.weft.diagnostics.TableDriftAudit;
import io.weft.diagnostics.trace.TraceTestApplication;
import io.weft.diagnostics.trace.TraceWorld;
import io.weft.fabric.HostId;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The table drift audit as a scheduled job beside the reconciliation: listed for operators with its
 * schedule, run now through Quartz, a paused schedule's firings skipped (run now still works), and
 * a firing that finds the job's guard held elsewhere gives way.
 */
@SpringBootTest(classes = TraceTestApplication.class)
class DriftAuditJobTest {

  private static final String JOB = SchedulingConfiguration.DRIFT_AUDIT;

  @Autowired ApplicationContext context;
  @Autowired ReconciliationService service;
  @Autowired GuardedRuns guardedRuns;
  @Autowired JobGuard guard;
  @Autowired TableDriftAudit drift;
  @Autowired JdbcClient jdbc;

  /** The job as Quartz makes it for a firing. */
  private DriftAuditJob job() {
    return new DriftAuditJob(guardedRuns, drift);
  }

  @AfterEach
  void resume() {
    service.setPaused(OPERATOR, JOB, false);
  }

  @Test
  void operatorsSeeTheDriftAuditJobPauseItAndRunItNow() {
    assertThat(service.jobs(OPERATOR))
        .extracting(ScheduledJob::name)
        .containsExactly(
            SchedulingConfiguration.RECONCILIATION, JOB, SchedulingConfiguration.RETENTION);
    ScheduledJob listed =
        service.jobs(OPERATOR).stream().filter(j -> j.name().equals(JOB)).findFirst().orElseThrow();
    assertThat(listed.schedule()).as("from the test's properties").isEqualTo("0 0 0 1 1 ? 2099");
    assertThat(listed.description()).contains("drift");

    ScheduledJob paused = service.setPaused(OPERATOR, JOB, true);
    assertThat(paused.paused()).isTrue();
    assertThat(paused.nextFireAt()).isNull();
    assertThat(job().run(GuardedRuns.SCHEDULED, Instant.now()))
        .as("a paused schedule's firing is skipped")
        .isEmpty();

    HostId host = new TraceWorld(context).hosts(1, 4, 1500).hostIds.getFirst();
    Instant asked = Instant.now().minusMillis(5);
    service.runNow(OPERATOR, JOB);
    awaitManualRunSince(asked);
    DriftReport stored = drift.latest(OPERATOR).orElseThrow();
    assertThat(stored.at()).as("the run stored a fresh audit").isAfterOrEqualTo(asked);
    assertThat(stored.hosts()).extracting(HostDrift::hostId).contains(host);

    service.setPaused(OPERATOR, JOB, false);
    assertThat(job().run(GuardedRuns.SCHEDULED, Instant.now())).isPresent();
  }

  @Test
  void aScheduledFiringGivesWayToARunHoldingTheGuardElsewhere() {
    UUID elsewhere = UUID.randomUUID();
    assertThat(guard.tryAcquire(JOB, elsewhere, "other-replica")).isPresent();
    try {
      assertThat(job().run(GuardedRuns.SCHEDULED, Instant.now())).isEmpty();
    } finally {
      guard.release(JOB, elsewhere);
    }
    assertThat(job().run(GuardedRuns.SCHEDULED, Instant.now())).isPresent();
  }

  private void awaitManualRunSince(Instant asked) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (jdbc.sql(
                "SELECT count(*) FROM recon_run WHERE job_name = :job AND trigger_kind = 'MANUAL'"
                    + " AND status = 'SUCCEEDED' AND started_at >= :at")
            .param("job", JOB)
            .param("at", java.sql.Timestamp.from(asked))
            .query(Integer.class)
            .single()
        == 0) {
      assertThat(System.nanoTime()).as("a manual drift audit run within 10 s").isLessThan(deadline);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
