package io.weft.portal.ui.diagnostics;

import static io.weft.portal.ui.SvgMarkup.escape;
import static io.weft.portal.ui.SvgMarkup.line;
import static io.weft.portal.ui.SvgMarkup.text;

import io.weft.diagnostics.ConnectivityAnswer;
import io.weft.diagnostics.ConnectivityAnswer.Hop;
import io.weft.diagnostics.ConnectivityAnswer.HopKind;
import io.weft.diagnostics.ConnectivityAnswer.HopState;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Draws the one answer's path as SVG text, left to right: the source VM, each host's virtual
 * switch, the destination VM. A hop is green when the packet went through it, red where it was
 * dropped (with the reason), grey where it never arrived; each shows when the live probe's request
 * and reply were seen there. Hop names are the answer's own, so tenants see "source host" and
 * "destination host", never a host name.
 */
final class ConnectivityPathSvg {

  static final String OK = "#2e7d32";
  static final String DROPPED = "#c62828";
  static final String NOT_REACHED = "#9e9e9e";
  private static final int BOX_W = 200;
  private static final int BOX_H = 134;
  private static final int GAP = 56;
  private static final int TOP = 16;
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

  private ConnectivityPathSvg() {}

  static String render(ConnectivityAnswer answer) {
    List<Hop> path = answer.path();
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < path.size(); i++) {
      int x = 10 + i * (BOX_W + GAP);
      hop(out, x, path.get(i), i);
      if (i + 1 < path.size()) {
        boolean on = path.get(i + 1).state() != HopState.NOT_REACHED;
        arrow(out, x + BOX_W, TOP + 30, x + BOX_W + GAP, on ? OK : NOT_REACHED);
      }
    }
    int legendY = TOP + BOX_H + 28;
    legend(out, 10, legendY, OK, "went through");
    legend(out, 150, legendY, DROPPED, "dropped");
    legend(out, 260, legendY, NOT_REACHED, "not reached");
    out.append(
        text(
            400,
            legendY + 4,
            "times UTC (µs): → request seen, ← reply seen",
            11,
            "normal",
            "#555"));
    int width = Math.max(560, path.size() * (BOX_W + GAP));
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "
        + width
        + " "
        + (legendY + 20)
        + "\" width=\"100%\" font-family=\"system-ui, sans-serif\" role=\"img\" aria-label=\""
        + escape(answer.sentence())
        + "\">"
        + out
        + "</svg>";
  }

  private static void hop(StringBuilder out, int x, Hop hop, int index) {
    String colour = colour(hop.state());
    out.append("<g class=\"hop\" data-hop=\"")
        .append(index)
        .append("\" data-state=\"")
        .append(hop.state())
        .append("\" data-kind=\"")
        .append(hop.kind())
        .append("\">");
    out.append("<rect x=\"")
        .append(x)
        .append("\" y=\"")
        .append(TOP)
        .append("\" width=\"")
        .append(BOX_W)
        .append("\" height=\"")
        .append(BOX_H)
        .append("\" rx=\"")
        .append(hop.kind() == HopKind.VM ? 22 : 6)
        .append("\" fill=\"white\" stroke=\"")
        .append(colour)
        .append("\" stroke-width=\"")
        .append(hop.state() == HopState.DROPPED ? 3 : 2)
        .append("\"")
        .append(hop.state() == HopState.NOT_REACHED ? " stroke-dasharray=\"6 4\"" : "")
        .append("/>");
    out.append(text(x + 12, TOP + 22, shorten(hop.name(), 24), 13, "600", colour));
    out.append(
        text(
            x + 12,
            TOP + 40,
            hop.kind() == HopKind.VM ? "VM" : "host · virtual switch",
            11,
            "normal",
            "#555"));
    out.append(text(x + 12, TOP + 62, mark(hop.state()), 12, "600", colour));
    int row = TOP + 78;
    for (String line : wrap(hop.detail(), 30, 2)) {
      out.append(text(x + 12, row, line, 11, "normal", "#333"));
      row += 13;
    }
    out.append(text(x + 12, TOP + 110, "→ " + clock(hop.requestAt()), 11, "normal", "#555"));
    out.append(text(x + 12, TOP + 124, "← " + clock(hop.replyAt()), 11, "normal", "#555"));
    out.append("</g>");
  }

  private static String mark(HopState state) {
    return switch (state) {
      case OK -> "✓ went through";
      case DROPPED -> "✗ dropped here";
      case NOT_REACHED -> "– not reached";
    };
  }

  static String colour(HopState state) {
    return switch (state) {
      case OK -> OK;
      case DROPPED -> DROPPED;
      case NOT_REACHED -> NOT_REACHED;
    };
  }

  private static String clock(Instant at) {
    return at == null ? "—" : CLOCK.format(at);
  }

  private static void legend(StringBuilder out, int x, int y, String colour, String label) {
    out.append("<rect x=\"")
        .append(x)
        .append("\" y=\"")
        .append(y - 8)
        .append("\" width=\"14\" height=\"10\" fill=\"")
        .append(colour)
        .append("\"/>");
    out.append(text(x + 20, y + 2, label, 11, "normal", "#333"));
  }

  private static void arrow(StringBuilder out, int x1, int y, int x2, String colour) {
    out.append(line(x1 + 4, y, x2 - 6, y, colour, 2));
    out.append("<polygon points=\"")
        .append(x2 - 4)
        .append(",")
        .append(y)
        .append(" ")
        .append(x2 - 12)
        .append(",")
        .append(y - 5)
        .append(" ")
        .append(x2 - 12)
        .append(",")
        .append(y + 5)
        .append("\" fill=\"")
        .append(colour)
        .append("\"/>");
  }

  /** At most {@code lines} lines of about {@code width} characters, the last one cut short. */
  private static List<String> wrap(String text, int width, int lines) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    List<String> out = new java.util.ArrayList<>();
    String rest = text.strip();
    while (!rest.isEmpty() && out.size() < lines) {
      if (rest.length() <= width) {
        out.add(rest);
        break;
      }
      int cut = rest.lastIndexOf(' ', width);
      cut = cut <= 0 ? width : cut;
      out.add(out.size() == lines - 1 ? shorten(rest, width) : rest.substring(0, cut));
      rest = rest.substring(cut).strip();
    }
    return out;
  }

  private static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
