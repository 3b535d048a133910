package io.weft.diagnostics.reconciliation;

import io.weft.diagnostics.Finding;
import io.weft.diagnostics.FindingCategory;
import io.weft.diagnostics.FindingState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Findings keep their identity (scope, address, category) across runs: a run updates what it sees
 * again, reopens an ignored finding whose evidence changed, and closes what it no longer sees.
 */
@Component
class FindingStore {

  private final JdbcClient jdbc;

  FindingStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** What applying one scope's drifts did. */
  record Outcome(int created, int fixed) {}

  private record Existing(UUID id, String state, String evidenceKey) {}

  /**
   * Records one scope's drifts for {@code runId}. {@code fixed} names the drifts the run fixed:
   * those are stored as FIXED.
   */
  Outcome apply(
      String scope,
      UUID tenantId,
      List<Drift> drifts,
      java.util.Set<Drift> fixed,
      UUID runId,
      Instant now) {
    if (drifts.isEmpty()) {
      return new Outcome(0, 0);
    }
    Map<String, Existing> existing = new HashMap<>();
    jdbc.sql(
            "SELECT id, address, category, state, evidence_key FROM recon_finding WHERE scope = :s")
        .param("s", scope)
        .query((ResultSet rs) -> {
          existing.put(
              rs.getString("address") + "|" + rs.getString("category"),
              new Existing(
                  rs.getObject("id", UUID.class),
                  rs.getString("state"),
                  rs.getString("evidence_key")));
        });
    Timestamp at = Timestamp.from(now);
    int created = 0;
    for (Drift d : drifts) {
      String key = clip(d.evidenceKey(), 500);
      boolean isFixed = fixed.contains(d);
      Existing e = existing.get(d.address() + "|" + d.category());
      if (e == null) {
        created++;
        jdbc.sql(
                "INSERT INTO recon_finding (id, scope, address, category, tenant_id, state, evidence,"
                    + " evidence_key, first_seen_at, last_seen_at, closed_at, last_run_id) VALUES"
                    + " (:id, :scope, :address, :category, :tenant, :state, :evidence, :key, :at,"
                    + " :at, :closed, :run)")
            .param("id", UUID.randomUUID())
            .param("scope", scope)
            .param("address", d.address())
            .param("category", d.category().name())
            .param("tenant", tenantId)
            .param("state", isFixed ? "FIXED" : "OPEN")
            .param("evidence", clip(d.evidence(), 2000))
            .param("key", key)
            .param("at", at)
            .param("closed", isFixed ? at : null)
            .param("run", runId)
            .update();
        continue;
      }
      String state = e.state();
      boolean reopen =
          switch (state) {
            case "IGNORED" -> !key.equals(e.evidenceKey());
            case "OPEN" -> false;
            default -> true; // CLOSED, FIXED, RESOLVED: the drift came back
          };
      String next = isFixed ? "FIXED" : reopen ? "OPEN" : state;
      jdbc.sql(
              "UPDATE recon_finding SET state = :state, evidence = :evidence, evidence_key = :key,"
                  + " last_seen_at = :at, last_run_id = :run, closed_at = :closed"
                  + (reopen
                      ? ", resolution = NULL, resolution_reason = NULL, resolved_by = NULL,"
                          + " resolved_at = NULL"
                      : "")
                  + " WHERE id = :id")
          .param("state", next)
          .param("evidence", clip(d.evidence(), 2000))
          .param("key", key)
          .param("at", at)
          .param("run", runId)
          .param("closed", isFixed ? at : null)
          .param("id", e.id())
          .update();
    }
    return new Outcome(created, fixed.size());
  }

  /** Closes every open or ignored finding the run did not see again; answers how many. */
  int closeUnseen(UUID runId, Instant now) {
    return jdbc.sql(
            "UPDATE recon_finding SET state = 'CLOSED', closed_at = :at WHERE state IN ('OPEN',"
                + " 'IGNORED') AND last_run_id <> :run")
        .param("at", Timestamp.from(now))
        .param("run", runId)
        .update();
  }

  Map<FindingCategory, Integer> openByCategory() {
    Map<FindingCategory, Integer> counts = new EnumMap<>(FindingCategory.class);
    for (FindingCategory c : FindingCategory.values()) {
      counts.put(c, 0);
    }
    jdbc.sql(
            "SELECT category, count(*) AS n FROM recon_finding WHERE state = 'OPEN' GROUP BY category")
        .query((ResultSet rs) -> {
          counts.put(FindingCategory.valueOf(rs.getString("category")), rs.getInt("n"));
        });
    return counts;
  }

  static Finding map(ResultSet rs, int n) throws SQLException {
    return new Finding(
        rs.getObject("id", UUID.class),
        rs.getString("scope"),
        rs.getString("address"),
        FindingCategory.valueOf(rs.getString("category")),
        FindingState.valueOf(rs.getString("state")),
        rs.getObject("tenant_id", UUID.class),
        rs.getString("evidence"),
        instant(rs.getTimestamp("first_seen_at")),
        instant(rs.getTimestamp("last_seen_at")),
        instant(rs.getTimestamp("closed_at")),
        rs.getString("resolution"),
        rs.getString("resolution_reason"),
        rs.getString("resolved_by"));
  }

  static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
