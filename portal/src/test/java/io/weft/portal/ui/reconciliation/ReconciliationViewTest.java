package io.weft.portal.ui.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.diagnostics.Finding;
import io.weft.portal.ui.BrowserlessViewTest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The reconciliation page: operators see runs, trend and every finding; tenants their own. */
class ReconciliationViewTest extends BrowserlessViewTest {

  @Autowired JdbcClient jdbc;

  TenantAdmin mine;
  String mineAddress;
  String otherAddress;

  @org.junit.jupiter.api.BeforeEach
  void findingsOfTwoTenants() {
    mine = newTenant("Recon view " + UUID.randomUUID().toString().substring(0, 6));
    TenantAdmin other = newTenant("Recon other " + UUID.randomUUID().toString().substring(0, 6));
    UUID run = UUID.randomUUID();
    jdbc.sql(
            "INSERT INTO recon_run (id, job_name, trigger_kind, node, status, dry_run, started_at,"
                + " finished_at, scopes, allocations, findings_open, counts) VALUES (:id,"
                + " 'ipam-reconciliation', 'MANUAL', 'test', 'SUCCEEDED', FALSE, :at, :at, 3, 42, 2,"
                + " 'UNKNOWN=1,PA_DRIFT=1')")
        .param("id", run)
        .param("at", Timestamp.from(Instant.now()))
        .update();
    mineAddress = finding(mine.tenant().id().value(), run, "10.66.0.7");
    otherAddress = finding(other.tenant().id().value(), run, "10.67.0.8");
  }

  @Test
  void operatorsSeeTheLatestRunTheTrendAndEveryFinding() {
    signIn("admin");
    ReconciliationView view = navigate(ReconciliationView.class);
    assertThat(view.findings.getListDataView().getItems().map(Finding::address))
        .contains(mineAddress, otherAddress);
    assertThat(view.runs.getListDataView().getItems()).isNotEmpty();
    assertThat(view.trendSvg())
        .as("server-side SVG with a bar per category count")
        .contains("class=\"bar\"");
  }

  @Test
  void tenantsSeeOnlyTheirOwnFindings() {
    signIn(mine.email());
    ReconciliationView tenantView = navigate(ReconciliationView.class);
    assertThat(tenantView.findings.getListDataView().getItems().map(Finding::address))
        .contains(mineAddress)
        .doesNotContain(otherAddress);
  }

  private String finding(UUID tenant, UUID run, String address) {
    jdbc.sql(
            "INSERT INTO recon_finding (id, scope, address, category, tenant_id, state, evidence,"
                + " evidence_key, first_seen_at, last_seen_at, last_run_id) VALUES (:id, :scope,"
                + " :address, 'UNKNOWN', :tenant, 'OPEN', 'seen on port p', 'k', :at, :at, :run)")
        .param("id", UUID.randomUUID())
        .param("scope", "vm-network:" + UUID.randomUUID())
        .param("address", address)
        .param("tenant", tenant)
        .param("at", Timestamp.from(Instant.now()))
        .param("run", run)
        .update();
    return address;
  }
}
