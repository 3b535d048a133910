package io.weft.diagnostics.reconciliation;

import static io.weft.diagnostics.trace.TraceWorld.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.diagnostics.DiagnosticsRetention;
import io.weft.diagnostics.ReconciliationRun;
import io.weft.diagnostics.ReconciliationService;
import io.weft.diagnostics.ScheduledJob;
import io.weft.diagnostics.trace.TraceTestApplication;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The diagnostics retention as a scheduled job beside the others: listed for operators with its
 * schedule, run now through Quartz (its run says what it deleted), a paused schedule's firings
 * skipped.
 */
@SpringBootTest(classes = TraceTestApplication.class)
class RetentionJobTest {

  private static final String JOB = SchedulingConfiguration.RETENTION;

  @Autowired ReconciliationService service;
  @Autowired GuardedRuns guardedRuns;
  @Autowired RunLedger ledger;
  @Autowired JdbcClient jdbc;
  @Autowired DiagnosticsRetention retention;

  /** The job as Quartz makes it for a firing. */
  private RetentionJob job() {
    return new RetentionJob(guardedRuns, retention);
  }

  @AfterEach
  void resume() {
    service.setPaused(OPERATOR, JOB, false);
  }

  @Test
  void operatorsSeeTheRetentionJobPauseItAndRunItNow() throws Exception {
    ScheduledJob listed =
        service.jobs(OPERATOR).stream().filter(j -> j.name().equals(JOB)).findFirst().orElseThrow();
    assertThat(listed.schedule()).as("from the test's properties").isEqualTo("0 0 0 1 1 ? 2099");
    assertThat(listed.nextFireAt()).isNotNull();
    assertThat(listed.description()).contains("retention");

    assertThat(service.setPaused(OPERATOR, JOB, true).paused()).isTrue();
    assertThat(job().run(GuardedRuns.SCHEDULED, Instant.now()))
        .as("a paused schedule's firing is skipped")
        .isEmpty();

    UUID expired = UUID.randomUUID();
    jdbc.sql(
            "INSERT INTO diag_agent_command (id, host_id, kind, payload, state, created_at,"
                + " deadline) VALUES (:id, :host, 'REPORT_ENTRIES', '{}', 'SUCCEEDED', :at, :at)")
        .param("id", expired)
        .param("host", UUID.randomUUID())
        .param("at", Timestamp.from(Instant.now().minus(Duration.ofDays(2))))
        .update();
    Instant asked = Instant.now().minusMillis(5);
    service.runNow(OPERATOR, JOB);
    ReconciliationRun run = awaitManualRunSince(asked);
    assertThat(run.status()).isEqualTo("SUCCEEDED");
    assertThat(run.message()).startsWith("deleted ").contains("agent commands");
    assertThat(
            jdbc.sql("SELECT count(*) FROM diag_agent_command WHERE id = :id")
                .param("id", expired)
                .query(Integer.class)
                .single())
        .isZero();
  }

  private ReconciliationRun awaitManualRunSince(Instant asked) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      var run =
          ledger.latest(JOB, 5).stream()
              .filter(r -> r.trigger().equals("MANUAL") && !r.startedAt().isBefore(asked))
              .filter(r -> !r.status().equals("RUNNING"))
              .findFirst();
      if (run.isPresent()) {
        return run.get();
      }
      assertThat(System.nanoTime()).as("a manual retention run within 10 s").isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
