package io.weft.diagnostics.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.diagnostics.FindingCategory;
import io.weft.diagnostics.reconciliation.FindingStore.ScopeDrifts;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A finding's identity (scope, address, category) across runs, through the batched writes: seen
 * again it keeps its id and first-seen time and takes the new evidence and last-seen time; gone, it
 * closes; back, it reopens; ignored, it stays ignored until its evidence key changes.
 */
abstract class FindingStoreContract {

  @Autowired FindingStore store;
  @Autowired JdbcClient jdbc;

  private final UUID tenant = UUID.randomUUID();
  private Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  @Test
  void aFindingKeepsItsIdentityAcrossRunsAndAnIgnoredOneReopensOnlyOnNewEvidence() {
    String a = scope();
    String b = scope();
    Drift unknown = drift("10.0.0.9", FindingCategory.UNKNOWN, "ARP on p1 at 09:00", "seen:p1");
    Drift duplicate = drift("10.0.0.10", FindingCategory.DUPLICATE, "on 2 vNICs: x, y", "cfg:x,y");
    Drift gone = drift("10.0.0.11", FindingCategory.RECLAIMABLE, "vNIC z is gone", "gone:z");

    UUID first = UUID.randomUUID();
    int created =
        store.apply(
            List.of(
                new ScopeDrifts(a, tenant, List.of(unknown, duplicate), Set.of()),
                new ScopeDrifts(b, tenant, List.of(gone), Set.of(gone))),
            first,
            now);
    assertThat(created).isEqualTo(3);
    Map<String, Object> unknown1 = row(a, "10.0.0.9", "UNKNOWN");
    Map<String, Object> duplicate1 = row(a, "10.0.0.10", "DUPLICATE");
    assertThat(unknown1).containsEntry("state", "OPEN");
    assertThat(row(b, "10.0.0.11", "RECLAIMABLE"))
        .containsEntry("state", "FIXED")
        .doesNotContainEntry("closed_at", null);

    // The tenant ignores the unknown address; the next run sees it again, with the same key.
    jdbc.sql(
            "UPDATE recon_finding SET state = 'IGNORED', resolution = 'IGNORE', resolution_reason"
                + " = 'lab box', resolved_by = 'ten' WHERE id = :id")
        .param("id", unknown1.get("id"))
        .update();
    UUID second =
        run(
            a,
            drift("10.0.0.9", FindingCategory.UNKNOWN, "ARP on p1 at 10:00", "seen:p1"),
            duplicate);
    store.closeUnseen(second, now);
    assertThat(row(b, "10.0.0.11", "RECLAIMABLE"))
        .as("a fixed finding stays fixed when its drift is gone")
        .containsEntry("state", "FIXED");
    Map<String, Object> unknown2 = row(a, "10.0.0.9", "UNKNOWN");
    assertThat(unknown2)
        .containsEntry("id", unknown1.get("id"))
        .containsEntry("state", "IGNORED")
        .containsEntry("resolution", "IGNORE")
        .containsEntry("evidence", "ARP on p1 at 10:00")
        .containsEntry("first_seen_at", unknown1.get("first_seen_at"))
        .containsEntry("last_run_id", second);
    assertThat(instant(unknown2.get("last_seen_at"))).isEqualTo(now);
    assertThat(count(a)).as("updated, never added twice").isEqualTo(2);

    // New evidence (a second port) reopens it; the duplicate is not seen: it closes.
    UUID third = run(a, drift("10.0.0.9", FindingCategory.UNKNOWN, "ARP on p1, p2", "seen:p1,p2"));
    assertThat(store.closeUnseen(third, now)).isGreaterThanOrEqualTo(1);
    assertThat(row(a, "10.0.0.9", "UNKNOWN"))
        .containsEntry("state", "OPEN")
        .containsEntry("resolution", null)
        .containsEntry("resolution_reason", null)
        .containsEntry("resolved_by", null);
    assertThat(row(a, "10.0.0.10", "DUPLICATE")).containsEntry("state", "CLOSED");

    // The duplicate comes back: the same finding reopens.
    UUID fourth = run(a, duplicate);
    assertThat(row(a, "10.0.0.10", "DUPLICATE"))
        .containsEntry("id", duplicate1.get("id"))
        .containsEntry("state", "OPEN")
        .containsEntry("closed_at", null)
        .containsEntry("first_seen_at", duplicate1.get("first_seen_at"))
        .containsEntry("last_run_id", fourth);
  }

  @Test
  void oneWriteOfHundredsOfScopesGivesEachScopeItsOwnFindingsOnce() {
    List<ScopeDrifts> scopes = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      Drift d =
          drift("10.1." + (i / 250) + "." + (i % 250), FindingCategory.UNKNOWN, "seen " + i, "k");
      scopes.add(new ScopeDrifts(scope(), i % 2 == 0 ? tenant : null, List.of(d), Set.of()));
    }
    assertThat(store.apply(scopes, UUID.randomUUID(), now)).isEqualTo(600);
    assertThat(store.apply(scopes, UUID.randomUUID(), now)).as("the same drifts again").isZero();
    assertThat(
            jdbc.sql("SELECT count(*) FROM recon_finding WHERE scope IN (:s)")
                .param("s", scopes.stream().map(ScopeDrifts::scope).toList())
                .query(Integer.class)
                .single())
        .isEqualTo(600);
  }

  /** One more run, a minute later, that sees {@code drifts} in {@code scope}. */
  private UUID run(String scope, Drift... drifts) {
    now = now.plusSeconds(60);
    UUID run = UUID.randomUUID();
    store.apply(List.of(new ScopeDrifts(scope, tenant, List.of(drifts), Set.of())), run, now);
    return run;
  }

  private static String scope() {
    return "vm-network:" + UUID.randomUUID();
  }

  private static Drift drift(String address, FindingCategory c, String evidence, String key) {
    return new Drift(address, c, evidence, key, null);
  }

  private Map<String, Object> row(String scope, String address, String category) {
    return jdbc.sql(
            "SELECT id, state, evidence, resolution, resolution_reason, resolved_by,"
                + " first_seen_at, last_seen_at, closed_at, last_run_id FROM recon_finding"
                + " WHERE scope = :s AND address = :a AND category = :c")
        .param("s", scope)
        .param("a", address)
        .param("c", category)
        .query((rs, n) -> {
          Map<String, Object> m = new java.util.HashMap<>();
          m.put("id", rs.getObject("id", UUID.class));
          m.put("last_run_id", rs.getObject("last_run_id", UUID.class));
          for (String col :
              List.of("state", "evidence", "resolution", "resolution_reason", "resolved_by")) {
            m.put(col, rs.getString(col));
          }
          for (String col : List.of("first_seen_at", "last_seen_at", "closed_at")) {
            m.put(col, FindingStore.instant(rs.getTimestamp(col)));
          }
          return m;
        })
        .single();
  }

  private static Instant instant(Object o) {
    return (Instant) o;
  }

  private int count(String scope) {
    return jdbc.sql("SELECT count(*) FROM recon_finding WHERE scope = :s")
        .param("s", scope)
        .query(Integer.class)
        .single();
  }
}
