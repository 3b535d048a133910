package io.weft.portal.ui.reconciliation;

import com.vaadin.flow.component.Svg;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.weft.diagnostics.Finding;
import io.weft.diagnostics.FindingCategory;
import io.weft.diagnostics.FindingQuery;
import io.weft.diagnostics.FindingState;
import io.weft.diagnostics.ReconciliationRun;
import io.weft.diagnostics.ReconciliationService;
import io.weft.diagnostics.Resolution;
import io.weft.diagnostics.ScheduledJob;
import io.weft.fabric.Caller;
import io.weft.portal.ui.CurrentUser;
import io.weft.portal.ui.Problems;
import io.weft.portal.ui.StatCard;
import io.weft.portal.ui.Ui;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;
import java.util.Map;

/**
 * IPAM reconciliation. Operators: the job's schedule (run now, pause), the latest run, the trend of
 * open findings (server-side SVG), the run history, every scheduled job (the table drift audit too:
 * run now, pause) and every finding. Tenants: the findings of their own VM networks, which they may
 * ignore with a reason.
 */
@Route("reconciliation")
@PageTitle("IP reconciliation · Weft")
@RolesAllowed({"OPERATOR", "TENANT_ADMIN", "TENANT_MEMBER"})
public class ReconciliationView extends VerticalLayout {

  static final String JOB = "ipam-reconciliation";

  private final ReconciliationService reconciliation;
  private final Caller caller;
  final Select<FindingCategory> category = new Select<>();
  final Select<FindingState> state = new Select<>();
  final Grid<Finding> findings = new Grid<>(Finding.class, false);
  final Grid<ReconciliationRun> runs = new Grid<>(ReconciliationRun.class, false);
  final Grid<ScheduledJob> jobs = new Grid<>(ScheduledJob.class, false);
  final Svg trend = new Svg();
  final FlexLayout latest = new FlexLayout();
  final Paragraph schedule = new Paragraph();
  private String trendSvg = "";

  public ReconciliationView(CurrentUser user, ReconciliationService reconciliation) {
    this.reconciliation = reconciliation;
    this.caller = user.caller();
    Ui.page(this);
    if (caller.isOperator()) {
      Button runNow = Ui.primary("Run now", com.vaadin.flow.component.icon.VaadinIcon.PLAY);
      runNow.setId("run-now");
      runNow.addClickListener(e -> {
        if (Problems.attempt(() -> reconciliation.runNow(caller, JOB))) {
          Problems.success("Reconciliation started; refresh in a moment for its results.");
        }
      });
      Button pause = new Button("Pause / resume", e -> togglePause());
      pause.setId("pause");
      add(
          Ui.header(
              "IP address reconciliation",
              "What IPAM allocated, what the fabric configured and what agents saw, compared per"
                  + " VM network and logical network.",
              pause,
              runNow),
          schedule,
          latest,
          Ui.section("Open findings per run"),
          trend,
          Ui.section("Runs"),
          runs,
          Ui.section("Scheduled jobs"),
          jobs);
      configureJobs();
      latest.getStyle().set("gap", "var(--lumo-space-m)");
      latest.setWidthFull();
      runs.addColumn(r -> Ui.time(r.startedAt())).setHeader("Started").setAutoWidth(true);
      runs.addColumn(ReconciliationRun::trigger).setHeader("Trigger").setAutoWidth(true);
      runs.addColumn(ReconciliationRun::status).setHeader("Status").setAutoWidth(true);
      runs.addColumn(ReconciliationRun::node).setHeader("Replica").setAutoWidth(true);
      runs.addColumn(ReconciliationRun::scopes).setHeader("Scopes").setAutoWidth(true);
      runs.addColumn(ReconciliationRun::allocations).setHeader("Allocations").setAutoWidth(true);
      runs.addColumn(ReconciliationRun::findingsOpen).setHeader("Open").setAutoWidth(true);
      runs.addColumn(ReconciliationRun::fixed).setHeader("Fixed").setAutoWidth(true);
      runs.setAllRowsVisible(true);
      runs.addThemeVariants(GridVariant.LUMO_COMPACT);
    } else {
      add(
          Ui.header(
              "IP address findings",
              "Addresses in your VM networks where what was allocated, configured and seen on"
                  + " the wire disagree."));
    }
    category.setLabel("Category");
    category.setItems(FindingCategory.values());
    category.setEmptySelectionAllowed(true);
    category.setId("category");
    state.setLabel("State");
    state.setItems(FindingState.values());
    state.setEmptySelectionAllowed(true);
    state.setValue(FindingState.OPEN);
    state.setId("state");
    category.addValueChangeListener(e -> refresh());
    state.addValueChangeListener(e -> refresh());
    findings.addColumn(Finding::category).setHeader("Category").setAutoWidth(true);
    findings.addColumn(Finding::address).setHeader("Address").setAutoWidth(true);
    findings.addColumn(Finding::scope).setHeader("Scope").setAutoWidth(true);
    findings.addColumn(Finding::state).setHeader("State").setAutoWidth(true);
    findings.addColumn(f -> Ui.ago(f.lastSeenAt())).setHeader("Last seen").setAutoWidth(true);
    findings.addColumn(Finding::evidence).setHeader("Evidence").setFlexGrow(1);
    findings.addComponentColumn(this::actions).setHeader("").setAutoWidth(true);
    findings.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_WRAP_CELL_CONTENT);
    findings.setEmptyStateText("No findings: allocated, configured and seen agree.");
    findings.setId("findings");
    add(Ui.section("Findings"), new HorizontalLayout(category, state), findings);
    refresh();
  }

  void refresh() {
    findings.setItems(
        reconciliation.findings(
            caller, new FindingQuery(null, category.getValue(), state.getValue(), 0, 500)));
    if (!caller.isOperator()) {
      return;
    }
    List<ReconciliationRun> history = reconciliation.runs(caller, 30);
    runs.setItems(history);
    trendSvg = FindingTrendSvg.render(history);
    trend.setSvg(trendSvg);
    latest.removeAll();
    if (!history.isEmpty()) {
      ReconciliationRun r = history.getFirst();
      latest.add(
          new StatCard("Latest run", r.status(), Ui.ago(r.startedAt())),
          new StatCard("Scopes", Integer.toString(r.scopes()), r.allocations() + " allocations"),
          new StatCard("Open findings", Integer.toString(r.findingsOpen()), breakdown(r)),
          new StatCard(
              "Fixed automatically", Integer.toString(r.fixed()), r.dryRun() ? "dry run" : null));
    }
    List<ScheduledJob> scheduled = reconciliation.jobs(caller);
    jobs.setItems(scheduled);
    ScheduledJob job =
        scheduled.stream().filter(j -> j.name().equals(JOB)).findFirst().orElseThrow();
    schedule.setText(
        "Schedule "
            + job.schedule()
            + (job.paused()
                ? " — paused"
                : job.nextFireAt() == null ? "" : " — next run " + Ui.time(job.nextFireAt())));
  }

  /** The trend picture as last drawn. */
  String trendSvg() {
    return trendSvg;
  }

  private static String breakdown(ReconciliationRun r) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<FindingCategory, Integer> e : r.openByCategory().entrySet()) {
      if (e.getValue() > 0) {
        b.append(b.isEmpty() ? "" : ", ")
            .append(e.getValue())
            .append(' ')
            .append(e.getKey().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
      }
    }
    return b.isEmpty() ? null : b.toString();
  }

  private void togglePause() {
    boolean paused =
        reconciliation.jobs(caller).stream().anyMatch(j -> j.name().equals(JOB) && j.paused());
    setPaused(JOB, !paused);
  }

  private void setPaused(String job, boolean paused) {
    if (Problems.attempt(() -> reconciliation.setPaused(caller, job, paused))) {
      Problems.success(paused ? "Schedule paused; run now still works." : "Schedule resumed.");
      refresh();
    }
  }

  /** Every scheduled job (the reconciliation, the table drift audit), each paused or run here. */
  private void configureJobs() {
    jobs.setId("jobs");
    jobs.addColumn(ScheduledJob::name).setHeader("Job").setAutoWidth(true);
    jobs.addColumn(ScheduledJob::description).setHeader("What it does").setFlexGrow(1);
    jobs.addColumn(ScheduledJob::schedule).setHeader("Schedule").setAutoWidth(true);
    jobs.addColumn(
            j -> j.paused() ? "paused" : j.nextFireAt() == null ? "" : Ui.time(j.nextFireAt()))
        .setHeader("Next run")
        .setAutoWidth(true);
    jobs.addComponentColumn(
            j -> {
              Button run =
                  new Button(
                      "Run now",
                      e -> {
                        if (Problems.attempt(() -> reconciliation.runNow(caller, j.name()))) {
                          Problems.success(j.name() + " started.");
                        }
                      });
              Button pause =
                  new Button(
                      j.paused() ? "Resume" : "Pause", e -> setPaused(j.name(), !j.paused()));
              run.addThemeVariants(ButtonVariant.LUMO_SMALL);
              pause.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
              return new HorizontalLayout(run, pause);
            })
        .setAutoWidth(true);
    jobs.setAllRowsVisible(true);
    jobs.addThemeVariants(GridVariant.LUMO_COMPACT);
  }

  private HorizontalLayout actions(Finding f) {
    HorizontalLayout bar = new HorizontalLayout();
    if (f.state() == FindingState.OPEN) {
      Button ignore = new Button("Ignore…", e -> ignore(f));
      ignore.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
      bar.add(ignore);
      if (caller.isOperator()
          && (f.category() == FindingCategory.RECLAIMABLE
              || f.category() == FindingCategory.STALE_LEASE)) {
        Button release =
            new Button(
                "Release",
                e -> {
                  if (Problems.attempt(
                      () ->
                          reconciliation.resolve(
                              caller, f.id(), new Resolution("RELEASE", null)))) {
                    Problems.success(f.address() + " released");
                    refresh();
                  }
                });
        release.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR);
        bar.add(release);
      }
      if (caller.isOperator() && f.scope().startsWith("vm-network:")) {
        Button reassign = new Button("Re-assign…", e -> reassign(f));
        reassign.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
        bar.add(reassign);
      }
    }
    return bar;
  }

  /** Gives the finding's address to a vNIC of its VM network (usually the one seen using it). */
  private void reassign(Finding f) {
    Dialog dialog = new Dialog();
    dialog.setHeaderTitle("Re-assign " + f.address());
    TextField vnic = new TextField("vNIC id");
    vnic.setId("reassign-vnic");
    vnic.setWidthFull();
    vnic.setHelperText("It becomes this vNIC's static address; its old address is released.");
    TextField reason = new TextField("Reason");
    reason.setId("reassign-reason");
    reason.setWidthFull();
    reason.setMaxLength(500);
    Button confirm = Ui.primary("Re-assign", com.vaadin.flow.component.icon.VaadinIcon.EXCHANGE);
    confirm.setId("reassign-confirm");
    confirm.addClickListener(e -> {
      Runnable move =
          () ->
              reconciliation.resolve(
                  caller, f.id(), new Resolution("REASSIGN", reason.getValue(), vnic.getValue()));
      if (Problems.attempt(move, Map.of("vnicId", vnic, "reason", reason))) {
        dialog.close();
        refresh();
      }
    });
    dialog.add(vnic, reason);
    dialog.getFooter().add(new Button("Cancel", e -> dialog.close()), confirm);
    dialog.open();
  }

  private void ignore(Finding f) {
    Dialog dialog = new Dialog();
    dialog.setHeaderTitle("Ignore " + f.category() + " " + f.address());
    TextField reason = new TextField("Reason");
    reason.setWidthFull();
    reason.setMaxLength(500);
    Button confirm = Ui.primary("Ignore", com.vaadin.flow.component.icon.VaadinIcon.EYE_SLASH);
    confirm.addClickListener(e -> {
      Runnable ignore =
          () -> reconciliation.resolve(caller, f.id(), new Resolution("IGNORE", reason.getValue()));
      if (Problems.attempt(ignore, Map.of("reason", reason))) {
        dialog.close();
        refresh();
      }
    });
    dialog.add(new Paragraph("It stays ignored until what is seen changes."), reason);
    dialog.getFooter().add(new Button("Cancel", e -> dialog.close()), confirm);
    dialog.open();
  }
}
