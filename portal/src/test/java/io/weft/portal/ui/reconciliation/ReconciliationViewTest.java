package io.weft.portal.ui.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.textfield.TextField;
import io.weft.diagnostics.Finding;
import io.weft.diagnostics.FindingState;
import io.weft.diagnostics.ReconciliationService;
import io.weft.fabric.AddressRange;
import io.weft.fabric.NetworkService;
import io.weft.fabric.NewSubnet;
import io.weft.fabric.NewVm;
import io.weft.fabric.NewVnic;
import io.weft.fabric.Subnet;
import io.weft.fabric.Vm;
import io.weft.fabric.VmService;
import io.weft.portal.ui.BrowserlessViewTest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The reconciliation page: operators see runs, trend and every finding; tenants their own. */
class ReconciliationViewTest extends BrowserlessViewTest {

  @Autowired JdbcClient jdbc;
  @Autowired NetworkService networks;
  @Autowired VmService vms;
  @Autowired ReconciliationService reconciliation;

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
  void operatorsPauseAndResumeTheTableDriftAuditFromTheJobsList() {
    signIn("admin");
    ReconciliationView view = navigate(ReconciliationView.class);
    List<String> names =
        view.jobs.getListDataView().getItems().map(io.weft.diagnostics.ScheduledJob::name).toList();
    assertThat(names)
        .containsExactly("ipam-reconciliation", "table-drift-audit", "diagnostics-retention");
    int row = names.indexOf("table-drift-audit");
    try {
      jobButton(view, row, "Pause").click();
      assertThat(job("table-drift-audit").paused()).isTrue();
      assertThat(test(view.jobs).getCellText(row, 3)).isEqualTo("paused");
      assertThat(job("ipam-reconciliation").paused()).as("only that job").isFalse();
      jobButton(view, row, "Resume").click();
      assertThat(job("table-drift-audit").paused()).isFalse();
    } finally {
      reconciliation.setPaused(operator(), "table-drift-audit", false);
    }
  }

  private io.weft.diagnostics.ScheduledJob job(String name) {
    return reconciliation.jobs(operator()).stream()
        .filter(j -> j.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private com.vaadin.flow.component.button.ButtonTester<Button> jobButton(
      ReconciliationView view, int row, String text) {
    HorizontalLayout bar = (HorizontalLayout) test(view.jobs).getCellComponent(row, 4);
    return test(
        bar.getChildren()
            .map(Button.class::cast)
            .filter(b -> b.getText().equals(text))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no " + text + " button")));
  }

  @Test
  void tenantsSeeOnlyTheirOwnFindingsAndCannotReassign() {
    signIn(mine.email());
    ReconciliationView tenantView = navigate(ReconciliationView.class);
    assertThat(tenantView.findings.getListDataView().getItems().map(Finding::address))
        .contains(mineAddress)
        .doesNotContain(otherAddress);
    tenantView.state.setValue(null); // every state, not only open ones
    assertThat(tenantView.findings.getListDataView().getItems().map(Finding::tenantId))
        .isNotEmpty()
        .containsOnly(mine.tenant().id().value());
    assertThat(buttons(tenantView, mineAddress))
        .as("tenants may ignore their findings, never move or release addresses")
        .containsExactly("Ignore…");
  }

  @Test
  void anOperatorReassignsAMismatchedAddressToTheVnicSeenUsingIt() {
    // The finding is made up, so a scheduled run (every minute) in the middle would close it and
    // the re-assignment would be refused as not open: the schedule waits meanwhile.
    reconciliation.setPaused(operator(), "ipam-reconciliation", true);
    try {
      reassignAMadeUpMismatchedFinding();
    } finally {
      reconciliation.setPaused(operator(), "ipam-reconciliation", false);
    }
  }

  private void reassignAMadeUpMismatchedFinding() {
    TenantAdmin t = newTenant("Recon move " + UUID.randomUUID().toString().substring(0, 6));
    var net = networks.createVmNetwork(t.caller(), t.tenant().id(), "prod");
    Subnet web =
        networks.createSubnet(
            t.caller(),
            t.tenant().id(),
            net.id(),
            new NewSubnet(
                "web", "10.68.0.0/24", new AddressRange("10.68.0.10", "10.68.0.50"), List.of()));
    Vm user = staticVm(t, web, "user", "10.68.0.10");
    Vm gone = staticVm(t, web, "gone", "10.68.0.11");
    // Its VM deleted behind IPAM's back, .11 is still allocated to a vNIC that no longer exists,
    // and the user VM is seen sending from it: a mismatched finding.
    jdbc.sql("DELETE FROM fabric_vnic WHERE vm_id = :vm").param("vm", gone.id().value()).update();
    jdbc.sql("DELETE FROM fabric_vm WHERE id = :vm").param("vm", gone.id().value()).update();
    String userVnic = user.nics().getFirst().id().value().toString();
    UUID findingId =
        insertFinding(
            t.tenant().id().value(),
            "vm-network:" + net.id().value(),
            "10.68.0.11",
            "MISMATCHED",
            "allocated to vnic:"
                + gone.nics().getFirst().id().value()
                + ", seen elsewhere:"
                + " SOURCE on port "
                + userVnic);

    signIn("admin");
    ReconciliationView view = navigate(ReconciliationView.class);
    view.category.setValue(io.weft.diagnostics.FindingCategory.MISMATCHED);
    assertThat(buttons(view, "10.68.0.11")).contains("Ignore…", "Re-assign…");
    click(view, "10.68.0.11", "Re-assign…");
    Dialog dialog = $(Dialog.class).single();
    assertThat(dialog.getHeaderTitle()).isEqualTo("Re-assign 10.68.0.11");

    // A vNIC that is not in the finding's VM network: said at the field, nothing moves.
    test($(TextField.class).id("reassign-vnic")).setValue(UUID.randomUUID().toString());
    test($(Button.class).id("reassign-confirm")).click();
    assertThat($(TextField.class).id("reassign-vnic").isInvalid()).isTrue();
    assertThat($(TextField.class).id("reassign-vnic").getErrorMessage())
        .containsIgnoringCase("no such vNIC in the finding's VM network");
    assertThat(dialog.isOpened()).isTrue();
    assertThat(address(t, user)).isEqualTo("10.68.0.10");

    test($(TextField.class).id("reassign-vnic")).setValue(userVnic);
    test($(TextField.class).id("reassign-reason")).setValue("the guest was configured by hand");
    test($(Button.class).id("reassign-confirm")).click();

    assertThat(dialog.isOpened()).isFalse();
    assertThat(address(t, user)).as("the address it uses is now its own").isEqualTo("10.68.0.11");
    Finding resolved = reconciliation.finding(operator(), findingId);
    assertThat(resolved.state()).isEqualTo(FindingState.RESOLVED);
    assertThat(resolved.resolution()).isEqualTo("REASSIGN");
    assertThat(resolved.resolutionReason()).isEqualTo("the guest was configured by hand");
    assertThat(resolved.resolvedBy()).isEqualTo("admin");
    assertThat(view.findings.getListDataView().getItems().map(Finding::address))
        .as("no longer among the open findings")
        .doesNotContain("10.68.0.11");
  }

  private Vm staticVm(TenantAdmin t, Subnet subnet, String name, String address) {
    return vms.createVm(
        t.caller(),
        t.tenant().id(),
        new NewVm(name, List.of(new NewVnic(subnet.id().value().toString(), "STATIC", address))));
  }

  private String address(TenantAdmin t, Vm vm) {
    return vms.getVm(operator(), t.tenant().id(), vm.id()).nics().getFirst().address();
  }

  /** The texts of the action buttons in the finding's row. */
  private List<String> buttons(ReconciliationView view, String address) {
    return actions(view, address).getChildren().map(c -> ((Button) c).getText()).toList();
  }

  private void click(ReconciliationView view, String address, String text) {
    Optional<Button> button =
        actions(view, address)
            .getChildren()
            .map(Button.class::cast)
            .filter(b -> b.getText().equals(text))
            .findFirst();
    test(button.orElseThrow()).click();
  }

  private HorizontalLayout actions(ReconciliationView view, String address) {
    List<String> rows = view.findings.getListDataView().getItems().map(Finding::address).toList();
    int row = rows.indexOf(address);
    assertThat(row).as(address + " in " + rows).isNotNegative();
    return (HorizontalLayout) test(view.findings).getCellComponent(row, 6);
  }

  private String finding(UUID tenant, UUID run, String address) {
    insertFinding(tenant, "vm-network:" + UUID.randomUUID(), address, "UNKNOWN", "seen on port p");
    return address;
  }

  private UUID insertFinding(
      UUID tenant, String scope, String address, String category, String evidence) {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            "INSERT INTO recon_finding (id, scope, address, category, tenant_id, state, evidence,"
                + " evidence_key, first_seen_at, last_seen_at, last_run_id) VALUES (:id, :scope,"
                + " :address, :category, :tenant, 'OPEN', :evidence, 'k', :at, :at, :run)")
        .param("id", id)
        .param("scope", scope)
        .param("address", address)
        .param("category", category)
        .param("tenant", tenant)
        .param("evidence", evidence)
        .param("at", Timestamp.from(Instant.now()))
        .param("run", UUID.randomUUID())
        .update();
    return id;
  }
}
