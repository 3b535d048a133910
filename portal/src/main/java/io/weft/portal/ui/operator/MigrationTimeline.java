package io.weft.portal.ui.operator;

import static io.weft.portal.ui.SvgMarkup.line;
import static io.weft.portal.ui.SvgMarkup.text;

import com.vaadin.flow.component.Svg;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.theme.lumo.LumoUtility;
import io.weft.fabric.tables.MigrationRecord;
import io.weft.portal.ui.Ui;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One live migration's make-before-break sequence: a picture (server-side SVG) of which host holds
 * the vNIC's port and where peers send its traffic at each step, and the steps with their times and
 * offsets from the start, then the stale window: how long any peer's applied table pointed at a
 * host that no longer had the vNIC (the goal is zero).
 */
class MigrationTimeline extends Div {

  private static final java.time.format.DateTimeFormatter CLOCK =
      java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
          .withZone(java.time.ZoneId.systemDefault());

  /** One step of make-before-break; {@code at} is null until it happened. */
  record Step(String title, String detail, Instant at) {}

  final Grid<Step> steps = new Grid<>(Step.class, false);
  final Svg picture = new Svg();
  final Span staleWindow = new Span();
  private final Span title = new Span();
  private final Paragraph note = new Paragraph();
  private Instant startedAt;

  MigrationTimeline() {
    setId("migration-timeline");
    title.addClassNames(LumoUtility.FontSize.LARGE, LumoUtility.FontWeight.SEMIBOLD);
    picture.getStyle().set("width", "100%");
    picture.setId("migration-picture");
    staleWindow.setId("stale-window");
    note.addClassNames(LumoUtility.TextColor.SECONDARY, LumoUtility.Margin.NONE);
    steps.setId("migration-steps");
    steps.addColumn(Step::title).setHeader("Step").setAutoWidth(true).setFlexGrow(0);
    steps.addColumn(Step::detail).setHeader("What happened").setFlexGrow(1);
    steps
        .addColumn(s -> s.at() == null ? "—" : CLOCK.format(s.at()))
        .setHeader("At")
        .setAutoWidth(true)
        .setFlexGrow(0);
    steps
        .addColumn(s -> s.at() == null ? "pending" : offset(startedAt, s.at()))
        .setHeader("After start")
        .setAutoWidth(true)
        .setFlexGrow(0);
    steps.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_NO_BORDER);
    steps.setAllRowsVisible(true);
    Div head = new Div(title, staleWindow);
    head.addClassNames(
        LumoUtility.Display.FLEX,
        LumoUtility.JustifyContent.BETWEEN,
        LumoUtility.AlignItems.CENTER,
        LumoUtility.Gap.MEDIUM);
    add(head, note, picture, steps);
    addClassNames(
        LumoUtility.Padding.MEDIUM,
        LumoUtility.Border.ALL,
        LumoUtility.BorderColor.CONTRAST_10,
        LumoUtility.BorderRadius.LARGE,
        LumoUtility.Display.FLEX,
        LumoUtility.FlexDirection.COLUMN,
        LumoUtility.Gap.SMALL,
        LumoUtility.BoxSizing.BORDER);
    setWidthFull();
  }

  void show(MigrationRecord m, OperatorDirectory names) {
    String from = names.hostName(m.from());
    String to = names.hostName(m.to());
    title.setText(names.vmName(m.vmId()) + ": " + from + " → " + to);
    note.setText(
        "Started "
            + Ui.time(m.startedAt())
            + " · "
            + MigrationsView.phase(m.phase())
            + (m.note() == null ? "" : " · " + m.note()));
    staleWindow.removeAll();
    staleWindow.add(staleWindowPill(m));
    startedAt = m.startedAt();
    List<Step> list = steps(m, from, to);
    steps.setItems(list);
    picture.setSvg(svg(list, m.startedAt(), from, to));
  }

  static Span staleWindowPill(MigrationRecord m) {
    if (m.staleWindowMillis() == null) {
      return Ui.pill("Stale window: not measured yet", false);
    }
    long ms = m.staleWindowMillis();
    Span pill = Ui.pill("Stale window: " + ms + " ms", ms == 0);
    pill.getElement()
        .setAttribute(
            "title",
            "Longest time any peer's applied table pointed at a host that no longer had the vNIC;"
                + " 0 means no peer ever sent its traffic to the wrong host");
    if (ms > 0) {
      pill.addClassNames(LumoUtility.TextColor.ERROR);
    }
    return pill;
  }

  static List<Step> steps(MigrationRecord m, String from, String to) {
    List<Step> out = new ArrayList<>();
    out.add(
        new Step(
            "Started",
            "Port added to "
                + to
                + "'s table"
                + gen(m.destGeneration())
                + "; peers still use "
                + from,
            m.startedAt()));
    out.add(
        new Step(
            "Destination port installed",
            to + " reported applying the table with the vNIC's port",
            m.destAppliedAt()));
    out.add(
        new Step(
            "Peers switched",
            "Lookup records of "
                + m.peers()
                + (m.peers() == 1 ? " peer" : " peers")
                + " point to "
                + to
                + "'s PA",
            m.switchedAt()));
    out.add(
        new Step(
            "Peers applied",
            "Every live peer reported forwarding to the new PA",
            m.peersAppliedAt()));
    out.add(
        new Step(
            "Source dropped",
            "Port removed from " + from + "'s table" + gen(m.sourceGeneration()),
            m.sourceDroppedAt()));
    out.add(
        new Step(
            "Source applied",
            from + " reported applying the table without the port",
            m.sourceAppliedAt()));
    return out;
  }

  private static String gen(Long generation) {
    return generation == null ? "" : " (gen " + generation + ")";
  }

  /** "+12 ms", "+1.4 s" after the start; "" when the step has not happened. */
  static String offset(Instant start, Instant at) {
    if (start == null || at == null) {
      return "";
    }
    long ms = Math.max(0, Duration.between(start, at).toMillis());
    return ms < 1000
        ? "+" + ms + " ms"
        : "+" + String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  private static final int WIDTH = 1000;
  private static final int LEFT = 150;
  private static final int STEP_W = (WIDTH - LEFT - 80) / 5;

  /**
   * Six steps evenly spaced on an axis, each with its offset from the start, and under them three
   * lanes: the source's port, the destination's port, and where peers send the vNIC's traffic.
   */
  static String svg(List<Step> steps, Instant start, String from, String to) {
    StringBuilder b = new StringBuilder();
    int axisY = 46;
    b.append(line(LEFT, axisY, LEFT + 5 * STEP_W, axisY, "#c7ccd4", 2));
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      int x = LEFT + i * STEP_W;
      boolean done = s.at() != null;
      b.append(
          "<circle cx=\""
              + x
              + "\" cy=\""
              + axisY
              + "\" r=\"7\" fill=\""
              + (done ? "#1a7f37" : "#ffffff")
              + "\" stroke=\""
              + (done ? "#1a7f37" : "#9aa3ae")
              + "\" stroke-width=\"2\"/>");
      b.append(text(x, 22, s.title(), 12, "600", "#1f2937", "middle"));
      b.append(
          text(
              x,
              70,
              done ? offset(start, s.at()) : "pending",
              12,
              "400",
              done ? "#4b5563" : "#9aa3ae",
              "middle"));
    }
    int lane = 92;
    // Source keeps its port until "source applied"; destination has it from "destination port
    // installed"; peers point at the source until "peers applied", then at the destination.
    b.append(laneLabel(lane, from + " port"));
    b.append(bar(0, 5, lane, "#3b82f6", steps.get(5).at() == null));
    lane += 30;
    b.append(laneLabel(lane, to + " port"));
    b.append(bar(1, 5, lane, "#1a7f37", steps.get(1).at() == null));
    lane += 30;
    b.append(laneLabel(lane, "Peers send to"));
    b.append(bar(0, 3, lane, "#93c5fd", false));
    b.append(text(LEFT + 8, lane + 4, from, 11, "500", "#1e3a8a", "start"));
    if (steps.get(3).at() != null || steps.get(2).at() != null) {
      b.append(bar(3, 5, lane, "#86efac", steps.get(3).at() == null));
      b.append(text(LEFT + 3 * STEP_W + 8, lane + 4, to, 11, "500", "#14532d", "start"));
    }
    int height = lane + 22;
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "
        + WIDTH
        + " "
        + height
        + "\" width=\"100%\" font-family=\"system-ui, sans-serif\" role=\"img\""
        + " aria-label=\"Make-before-break timeline\">"
        + b
        + "</svg>";
  }

  private static String laneLabel(int y, String label) {
    return text(LEFT - 20, y + 4, label, 12, "500", "#374151", "end");
  }

  private static String bar(int fromStep, int toStep, int y, String color, boolean open) {
    int x1 = LEFT + fromStep * STEP_W;
    int x2 = LEFT + toStep * STEP_W;
    return "<rect x=\""
        + x1
        + "\" y=\""
        + (y - 9)
        + "\" width=\""
        + Math.max(4, x2 - x1)
        + "\" height=\"18\" rx=\"4\" fill=\""
        + color
        + "\" fill-opacity=\""
        + (open ? "0.35" : "0.9")
        + "\"/>";
  }
}
