package io.weft.diagnostics.reconciliation;

import io.weft.diagnostics.FindingCategory;
import io.weft.diagnostics.ReconciliationRun;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The history of runs ({@code recon_run}). */
@Component
class RunLedger {

  private final JdbcClient jdbc;

  RunLedger(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Totals of a finished run. */
  record Totals(
      int scopes,
      long allocations,
      long observations,
      int open,
      int created,
      int closed,
      int fixed,
      Map<FindingCategory, Integer> openByCategory) {}

  void started(
      UUID id,
      String job,
      String trigger,
      Instant scheduledFireAt,
      String node,
      boolean dryRun,
      Instant now) {
    jdbc.sql(
            "INSERT INTO recon_run (id, job_name, trigger_kind, scheduled_fire_at, node, status,"
                + " dry_run, started_at) VALUES (:id, :job, :trigger, :fire, :node, 'RUNNING',"
                + " :dry, :at)")
        .param("id", id)
        .param("job", job)
        .param("trigger", trigger)
        .param("fire", scheduledFireAt == null ? null : Timestamp.from(scheduledFireAt))
        .param("node", node)
        .param("dry", dryRun)
        .param("at", Timestamp.from(now))
        .update();
  }

  void succeeded(UUID id, Totals t, Instant now) {
    succeeded(id, t, "", now);
  }

  /**
   * A finished run; a non-empty {@code message} says what it did (e.g. what the retention deleted).
   */
  void succeeded(UUID id, Totals t, String message, Instant now) {
    jdbc.sql(
            "UPDATE recon_run SET status = 'SUCCEEDED', finished_at = :at, scopes = :scopes,"
                + " allocations = :allocations, observations = :observations, findings_open = :open,"
                + " findings_new = :created, findings_closed = :closed, fixed = :fixed, counts ="
                + " :counts"
                + (message.isEmpty() ? "" : ", message = :message")
                + " WHERE id = :id")
        .param("message", message.length() > 1000 ? message.substring(0, 1000) : message)
        .param("at", Timestamp.from(now))
        .param("scopes", t.scopes())
        .param("allocations", t.allocations())
        .param("observations", t.observations())
        .param("open", t.open())
        .param("created", t.created())
        .param("closed", t.closed())
        .param("fixed", t.fixed())
        .param("counts", encode(t.openByCategory()))
        .param("id", id)
        .update();
  }

  void failed(UUID id, String message, Instant now) {
    jdbc.sql(
            "UPDATE recon_run SET status = 'FAILED', finished_at = :at, message = :message WHERE id"
                + " = :id AND status = 'RUNNING'")
        .param("at", Timestamp.from(now))
        .param("message", message.length() > 1000 ? message.substring(0, 1000) : message)
        .param("id", id)
        .update();
  }

  List<ReconciliationRun> latest(String job, int limit) {
    return jdbc.sql(
            "SELECT * FROM recon_run WHERE job_name = :job ORDER BY started_at DESC, id"
                + " LIMIT :limit")
        .param("job", job)
        .param("limit", limit)
        .query(RunLedger::map)
        .list();
  }

  Optional<ReconciliationRun> find(UUID id) {
    return jdbc.sql("SELECT * FROM recon_run WHERE id = :id")
        .param("id", id)
        .query(RunLedger::map)
        .optional();
  }

  private static ReconciliationRun map(ResultSet rs, int n) throws SQLException {
    return new ReconciliationRun(
        rs.getObject("id", UUID.class),
        rs.getString("job_name"),
        rs.getString("trigger_kind"),
        rs.getString("node"),
        rs.getString("status"),
        rs.getBoolean("dry_run"),
        FindingStore.instant(rs.getTimestamp("started_at")),
        FindingStore.instant(rs.getTimestamp("finished_at")),
        rs.getInt("scopes"),
        rs.getLong("allocations"),
        rs.getLong("observations"),
        rs.getInt("findings_open"),
        rs.getInt("findings_new"),
        rs.getInt("findings_closed"),
        rs.getInt("fixed"),
        decode(rs.getString("counts")),
        rs.getString("message"));
  }

  private static String encode(Map<FindingCategory, Integer> counts) {
    StringBuilder b = new StringBuilder();
    counts.forEach((c, n) -> b.append(b.isEmpty() ? "" : ",").append(c).append('=').append(n));
    return b.toString();
  }

  private static Map<FindingCategory, Integer> decode(String text) {
    Map<FindingCategory, Integer> counts = new EnumMap<>(FindingCategory.class);
    if (text != null && !text.isEmpty()) {
      for (String part : text.split(",")) {
        String[] kv = part.split("=");
        counts.put(FindingCategory.valueOf(kv[0]), Integer.parseInt(kv[1]));
      }
    }
    return counts;
  }
}
