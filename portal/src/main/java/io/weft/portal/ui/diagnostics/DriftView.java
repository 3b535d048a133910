package io.weft.portal.ui.diagnostics;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.weft.diagnostics.DriftReport;
import io.weft.diagnostics.HostDrift;
import io.weft.diagnostics.HostDrift.EntryDrift;
import io.weft.diagnostics.TableDriftAudit;
import io.weft.portal.ui.CurrentUser;
import io.weft.portal.ui.Problems;
import io.weft.portal.ui.Ui;
import jakarta.annotation.security.RolesAllowed;

/**
 * Operators: every host's applied table against the fabric's intended one, from the latest audit
 * (scheduled every few seconds) or a fresh one; a host's row lists the entries it lacks.
 */
@Route("diagnostics/drift")
@PageTitle("Table drift · Weft")
@RolesAllowed("OPERATOR")
public class DriftView extends VerticalLayout {

  final Paragraph headline = new Paragraph();
  final Grid<HostDrift> hosts = new Grid<>(HostDrift.class, false);
  final Grid<EntryDrift> entries = new Grid<>(EntryDrift.class, false);
  private final TableDriftAudit drift;
  private final CurrentUser user;

  public DriftView(TableDriftAudit drift, CurrentUser user) {
    this.drift = drift;
    this.user = user;
    Ui.page(this);
    var now = Ui.primary("Audit now", VaadinIcon.REFRESH);
    now.setId("drift-audit-now");
    now.addClickListener(e ->
        Problems.attempt(
                () -> drift.auditNow(user.caller()),
                java.util.Map.<String, com.vaadin.flow.component.HasValidation>of())
            .ifPresent(this::show));
    add(
        Ui.header(
            "Table drift",
            "What each host's agent says it forwards with, against the fabric's intended table.",
            now));
    headline.setId("drift-headline");
    hosts.setId("drift-hosts");
    hosts.addColumn(HostDrift::hostName).setHeader("Host").setAutoWidth(true);
    hosts
        .addComponentColumn(h -> Ui.pill(h.verdict().name(), !h.drifting()))
        .setHeader("Verdict")
        .setAutoWidth(true);
    hosts.addColumn(HostDrift::summary).setHeader("Summary").setFlexGrow(3);
    hosts.setAllRowsVisible(true);
    hosts.addThemeVariants(GridVariant.LUMO_COMPACT);
    hosts
        .asSingleSelect()
        .addValueChangeListener(e ->
            entries.setItems(e.getValue() == null ? java.util.List.of() : e.getValue().entries()));
    entries.setId("drift-entries");
    entries.addColumn(EntryDrift::kind).setHeader("Kind").setAutoWidth(true);
    entries.addColumn(EntryDrift::what).setHeader("Entry").setAutoWidth(true);
    entries
        .addColumn(e -> e.vsid() == null ? "" : e.vsid().toString())
        .setHeader("VSID")
        .setAutoWidth(true);
    entries.addColumn(e -> e.ca() == null ? "" : e.ca()).setHeader("CA").setAutoWidth(true);
    entries.addColumn(e -> e.expectedPa() == null ? "" : e.expectedPa()).setHeader("Expected PA");
    entries.addColumn(e -> e.appliedPa() == null ? "" : e.appliedPa()).setHeader("Applied PA");
    entries.addColumn(EntryDrift::detail).setHeader("Detail").setFlexGrow(2);
    entries.setAllRowsVisible(true);
    entries.setEmptyStateText("Select a host to see the entries it differs in.");
    add(headline, hosts, Ui.section("Entries of the selected host"), entries);
    drift
        .latest(user.caller())
        .ifPresentOrElse(this::show, () -> show(drift.auditNow(user.caller())));
  }

  private void show(DriftReport report) {
    headline.setText(
        report.drifting() == 0
            ? "All "
                + report.hosts().size()
                + " hosts forward with the intended tables (audited "
                + Ui.time(report.at())
                + ")."
            : report.drifting()
                + " of "
                + report.hosts().size()
                + " hosts drift (audited "
                + Ui.time(report.at())
                + ").");
    hosts.setItems(report.hosts());
  }
}
