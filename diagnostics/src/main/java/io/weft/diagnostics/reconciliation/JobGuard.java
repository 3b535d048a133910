package io.weft.diagnostics.reconciliation;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Guards each run of a job with its row in {@code recon_job_guard}. Quartz's
 * {@code @DisallowConcurrentExecution} is per job key, and a recovered job (group RECOVERING_JOBS)
 * can overlap the normal firing; the row cannot. A run holds the row and heart-beats; a holder that
 * stopped heart-beating for {@code staleAfter} (its replica died) is taken over, and its run is
 * marked abandoned.
 */
@Component
class JobGuard {

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final Duration staleAfter;

  JobGuard(JdbcClient jdbc, TransactionTemplate transactions, Clock clock, JobProperties jobs) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.clock = clock;
    this.staleAfter = jobs.staleAfter();
  }

  Duration staleAfter() {
    return staleAfter;
  }

  /**
   * Takes the job's row for {@code runId}, or returns empty while another live run holds it. On
   * success, answers the run it took over from (abandoned by a dead replica), if any.
   */
  Optional<Optional<UUID>> tryAcquire(String job, UUID runId, String node) {
    return transactions.execute(tx -> {
      Instant now = clock.instant();
      var current =
          jdbc.sql(
                  "SELECT holder, run_id, heartbeat_at FROM recon_job_guard WHERE job_name = :job"
                      + " FOR UPDATE")
              .param("job", job)
              .query((rs, n) ->
                  new Object[] {
                    rs.getString("holder"),
                    rs.getObject("run_id", UUID.class),
                    rs.getTimestamp("heartbeat_at")
                  })
              .optional()
              .orElseThrow(() -> new IllegalStateException("no guard row for job " + job));
      Timestamp beat = (Timestamp) current[2];
      boolean held = current[0] != null;
      if (held && beat != null && beat.toInstant().isAfter(now.minus(staleAfter))) {
        return Optional.<Optional<UUID>>empty();
      }
      jdbc.sql(
              "UPDATE recon_job_guard SET holder = :node, run_id = :run, heartbeat_at = :now"
                  + " WHERE job_name = :job")
          .param("node", node)
          .param("run", runId)
          .param("now", Timestamp.from(now))
          .param("job", job)
          .update();
      UUID abandoned = held ? (UUID) current[1] : null;
      if (abandoned != null) {
        jdbc.sql(
                "UPDATE recon_run SET status = 'ABANDONED', finished_at = :now, message ="
                    + " 'its replica stopped heart-beating; taken over by ' || :node"
                    + " WHERE id = :id AND status = 'RUNNING'")
            .param("now", Timestamp.from(now))
            .param("node", node)
            .param("id", abandoned)
            .update();
      }
      return Optional.of(Optional.ofNullable(abandoned));
    });
  }

  /** Keeps the row; false if the run lost it (it was taken over), so the run must stop. */
  boolean heartbeat(String job, UUID runId) {
    return jdbc.sql(
                "UPDATE recon_job_guard SET heartbeat_at = :now WHERE job_name = :job"
                    + " AND run_id = :run AND holder IS NOT NULL")
            .param("now", Timestamp.from(clock.instant()))
            .param("job", job)
            .param("run", runId)
            .update()
        == 1;
  }

  void release(String job, UUID runId) {
    jdbc.sql(
            "UPDATE recon_job_guard SET holder = NULL, heartbeat_at = NULL WHERE job_name = :job"
                + " AND run_id = :run")
        .param("job", job)
        .param("run", runId)
        .update();
  }

  boolean paused(String job) {
    return jdbc.sql("SELECT paused FROM recon_job_guard WHERE job_name = :job")
        .param("job", job)
        .query(Boolean.class)
        .optional()
        .orElse(false);
  }

  boolean exists(String job) {
    return jdbc.sql("SELECT count(*) FROM recon_job_guard WHERE job_name = :job")
            .param("job", job)
            .query(Integer.class)
            .single()
        > 0;
  }

  void setPaused(String job, boolean paused) {
    jdbc.sql("UPDATE recon_job_guard SET paused = :paused WHERE job_name = :job")
        .param("paused", paused)
        .param("job", job)
        .update();
  }
}
