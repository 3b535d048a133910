package io.weft.portal.ui.diagnostics;

import static io.weft.portal.ui.SvgMarkup.escape;
import static io.weft.portal.ui.SvgMarkup.line;
import static io.weft.portal.ui.SvgMarkup.text;

import io.weft.diagnostics.PathStep;
import io.weft.diagnostics.PathStep.Direction;
import io.weft.diagnostics.TraceAnswer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws a traced path as SVG text: the source VM, each host the packet crossed (with the stages it
 * went through) and the destination, left to right; the request's arrows above, the reply's below.
 * A host that dropped the packet is red and the rest of the path greyed out.
 */
final class TracePathSvg {

  private static final int BOX_W = 220;
  private static final int GAP = 60;
  private static final int TOP = 30;
  private static final String OK = "#2e7d32";
  private static final String BAD = "#c62828";
  private static final String OFF = "#9e9e9e";

  private TracePathSvg() {}

  /** One host column: its label and what happened there, in order. */
  private record Column(String label, List<PathStep> steps) {
    boolean dropped() {
      return steps.stream().anyMatch(PathStep::dropped);
    }
  }

  static String render(TraceAnswer answer) {
    Map<String, Column> hosts = new LinkedHashMap<>();
    for (PathStep s : answer.steps()) {
      if (s.direction() == Direction.FORWARD && !s.resolvesNextHop()) {
        hosts.computeIfAbsent(s.host(), h -> new Column(h, new ArrayList<>())).steps().add(s);
      }
    }
    boolean delivered = delivered(answer, Direction.FORWARD);
    boolean replied = delivered(answer, Direction.RETURN);
    List<Column> columns = new ArrayList<>();
    columns.add(new Column(answer.source(), List.of()));
    columns.addAll(hosts.values());
    columns.add(new Column(answer.destination(), List.of()));
    int rows = hosts.values().stream().mapToInt(c -> c.steps().size()).max().orElse(0);
    int boxH = 44 + rows * 16;
    int width = columns.size() * (BOX_W + GAP);
    int height = TOP + boxH + 90;
    StringBuilder out = new StringBuilder();
    boolean reached = true;
    for (int i = 0; i < columns.size(); i++) {
      Column c = columns.get(i);
      int x = 10 + i * (BOX_W + GAP);
      boolean endpoint = i == 0 || i == columns.size() - 1;
      String colour = !reached ? OFF : c.dropped() ? BAD : OK;
      if (i == columns.size() - 1 && !delivered) {
        colour = OFF;
      }
      box(out, x, TOP, endpoint ? 44 : boxH, colour, c, endpoint);
      if (i + 1 < columns.size()) {
        boolean forwardOn = reached && !c.dropped();
        arrow(out, x + BOX_W, TOP + 22, x + BOX_W + GAP, forwardOn ? OK : OFF, true);
        arrow(out, x + BOX_W, TOP + boxH + 40, x + BOX_W + GAP, replied ? OK : OFF, false);
      }
      reached = reached && !c.dropped();
    }
    out.append(text(10, TOP + boxH + 30, "request →", 12, "normal", "#555"));
    out.append(text(10, TOP + boxH + 70, "← reply", 12, "normal", "#555"));
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "
        + width
        + " "
        + height
        + "\" width=\"100%\" font-family=\"system-ui, sans-serif\" role=\"img\" aria-label=\""
        + escape(answer.summary())
        + "\">"
        + out
        + "</svg>";
  }

  private static boolean delivered(TraceAnswer answer, Direction direction) {
    return answer.steps().stream()
        .anyMatch(
            s -> s.direction() == direction && s.stage().equals("DELIVER") && !s.resolvesNextHop());
  }

  private static void box(
      StringBuilder out, int x, int y, int h, String colour, Column c, boolean endpoint) {
    out.append("<rect x=\"")
        .append(x)
        .append("\" y=\"")
        .append(y)
        .append("\" width=\"")
        .append(BOX_W)
        .append("\" height=\"")
        .append(h)
        .append("\" rx=\"8\" fill=\"white\" stroke=\"")
        .append(colour)
        .append("\" stroke-width=\"2\"")
        .append(endpoint ? "" : " class=\"host\"")
        .append("/>");
    out.append(text(x + 10, y + 20, shorten(c.label(), 30), 13, "600", colour));
    int row = y + 40;
    for (PathStep s : c.steps()) {
      String mark = s.dropped() ? "✗ " : "✓ ";
      out.append(
          text(
              x + 10,
              row,
              mark + shorten(s.stage() + " " + s.detail(), 34),
              11,
              "normal",
              s.dropped() ? BAD : "#333"));
      row += 16;
    }
  }

  private static void arrow(
      StringBuilder out, int x1, int y, int x2, String colour, boolean right) {
    out.append(line(x1 + 4, y, x2 - 4, y, colour, 2));
    int tip = right ? x2 - 4 : x1 + 4;
    int back = right ? tip - 8 : tip + 8;
    out.append("<polygon points=\"")
        .append(tip)
        .append(",")
        .append(y)
        .append(" ")
        .append(back)
        .append(",")
        .append(y - 5)
        .append(" ")
        .append(back)
        .append(",")
        .append(y + 5)
        .append("\" fill=\"")
        .append(colour)
        .append("\"/>");
  }

  private static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
