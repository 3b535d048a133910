package io.weft.portal.ui.diagnostics;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.UnorderedList;
import io.weft.diagnostics.AppliedComparison;
import io.weft.diagnostics.ConnectivityAnswer;
import io.weft.diagnostics.ConnectivityAnswer.Hop;
import io.weft.diagnostics.ProbeAnswer;
import io.weft.portal.ui.Ui;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The details under the one answer: the hops with their times, then each of the three results with
 * its own sentence (intended tables with every blocker and its fix, applied tables, live probe with
 * its RTTs, host checks and recorded hops), then the notes.
 */
class ConnectivityDetails extends Div {

  final Grid<Hop> hops = new Grid<>(Hop.class, false);
  private final Paragraph intended = new Paragraph();
  private final BlockerList blockers = new BlockerList();
  private final PathStepsGrid steps = new PathStepsGrid();
  private final Paragraph applied = new Paragraph();
  private final Paragraph probe = new Paragraph();
  private final UnorderedList checks = new UnorderedList();
  private final Grid<ProbeAnswer.Hop> probeHops = new Grid<>(ProbeAnswer.Hop.class, false);
  private final UnorderedList notes = new UnorderedList();

  ConnectivityDetails() {
    setWidthFull();
    hops.setId("connectivity-hops");
    hops.addColumn(Hop::name).setHeader("Hop").setAutoWidth(true);
    hops.addColumn(h -> h.state().name().toLowerCase(Locale.ROOT).replace('_', ' '))
        .setHeader("State")
        .setAutoWidth(true);
    hops.addColumn(h -> Ui.time(h.requestAt())).setHeader("Request seen").setAutoWidth(true);
    hops.addColumn(h -> Ui.time(h.replyAt())).setHeader("Reply seen").setAutoWidth(true);
    hops.addColumn(Hop::detail).setHeader("What happened").setFlexGrow(3);
    hops.setAllRowsVisible(true);
    intended.setId("connectivity-intended");
    blockers.setId("connectivity-blockers");
    applied.setId("connectivity-applied");
    probe.setId("connectivity-probe");
    probeHops.addColumn(h -> Ui.time(h.at())).setHeader("At").setAutoWidth(true);
    probeHops.addColumn(ProbeAnswer.Hop::host).setHeader("Where").setAutoWidth(true);
    probeHops.addColumn(ProbeAnswer.Hop::direction).setHeader("").setAutoWidth(true);
    probeHops.addColumn(ProbeAnswer.Hop::stage).setHeader("Stage").setAutoWidth(true);
    probeHops.addColumn(ProbeAnswer.Hop::detail).setHeader("What happened").setFlexGrow(3);
    probeHops.setAllRowsVisible(true);
    add(
        Ui.section("Path"),
        hops,
        Ui.section("Live probe"),
        probe,
        checks,
        probeHops,
        Ui.section("Trace over the intended tables"),
        intended,
        blockers,
        steps,
        Ui.section("Trace over the applied tables"),
        applied,
        Ui.section("Notes"),
        notes);
  }

  void show(ConnectivityAnswer answer) {
    hops.setItems(answer.path());
    ProbeAnswer p = answer.probe();
    String rtts =
        p.rttMillis().stream()
            .map(r -> String.format(Locale.ROOT, "%.2f ms", r))
            .collect(Collectors.joining(", "));
    probe.setText(
        p.summary()
            + " Sent "
            + p.sent()
            + ", replies "
            + p.replies()
            + (rtts.isEmpty() ? "." : " (" + rtts + ")."));
    checks.removeAll();
    p.checks()
        .forEach(
            c -> checks.add(new ListItem((c.ok() ? "✓ " : "✗ ") + c.name() + ": " + c.detail())));
    probeHops.setItems(p.hops());
    intended.setText(answer.intended().summary());
    blockers.show(answer.intended().blockers());
    steps.setItems(answer.intended().steps());
    AppliedComparison a = answer.applied();
    applied.setText(a == null ? "Not compared." : a.summary());
    notes.removeAll();
    answer.notes().forEach(n -> notes.add(new ListItem(n)));
    if (answer.notes().isEmpty()) {
      notes.add(new ListItem("None."));
    }
  }
}
