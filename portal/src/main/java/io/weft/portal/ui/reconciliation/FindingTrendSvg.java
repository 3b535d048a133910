package io.weft.portal.ui.reconciliation;

import io.weft.diagnostics.FindingCategory;
import io.weft.diagnostics.ReconciliationRun;
import io.weft.portal.ui.SvgMarkup;
import java.util.List;
import java.util.Map;

/**
 * Open findings per category over the latest runs, drawn on the server as SVG: one stacked bar per
 * run, oldest on the left.
 */
final class FindingTrendSvg {

  static final int WIDTH = 720;
  static final int HEIGHT = 220;
  private static final int LEFT = 40;
  private static final int BOTTOM = 170;
  private static final String[] COLOURS = {
    "#3b82f6", "#f59e0b", "#ef4444", "#a855f7", "#10b981", "#6b7280", "#ec4899"
  };

  private FindingTrendSvg() {}

  /** {@code runs} newest first, as the service lists them. */
  static String render(List<ReconciliationRun> runs) {
    List<ReconciliationRun> chronological = runs.reversed();
    int max = 1;
    for (ReconciliationRun r : chronological) {
      max = Math.max(max, total(r.openByCategory()));
    }
    StringBuilder svg = new StringBuilder();
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(HEIGHT)
        .append("\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(HEIGHT)
        .append("\" role=\"img\" aria-label=\"Open findings per run\">");
    svg.append(SvgMarkup.line(LEFT, BOTTOM, WIDTH - 10, BOTTOM, "#888", 1));
    svg.append(SvgMarkup.text(4, 14, Integer.toString(max), 11, "normal", "#555"));
    svg.append(SvgMarkup.text(4, BOTTOM, "0", 11, "normal", "#555"));
    int n = Math.max(1, chronological.size());
    double slot = (WIDTH - LEFT - 10) / (double) n;
    int barWidth = (int) Math.max(2, slot * 0.7);
    FindingCategory[] categories = FindingCategory.values();
    for (int i = 0; i < chronological.size(); i++) {
      Map<FindingCategory, Integer> counts = chronological.get(i).openByCategory();
      int x = (int) (LEFT + i * slot + (slot - barWidth) / 2);
      double y = BOTTOM;
      for (int c = 0; c < categories.length; c++) {
        int count = counts.getOrDefault(categories[c], 0);
        if (count == 0) {
          continue;
        }
        double h = (BOTTOM - 20) * count / (double) max;
        y -= h;
        svg.append("<rect class=\"bar\" x=\"")
            .append(x)
            .append("\" y=\"")
            .append(String.format(java.util.Locale.ROOT, "%.1f", y))
            .append("\" width=\"")
            .append(barWidth)
            .append("\" height=\"")
            .append(String.format(java.util.Locale.ROOT, "%.1f", h))
            .append("\" fill=\"")
            .append(COLOURS[c % COLOURS.length])
            .append("\"><title>")
            .append(SvgMarkup.escape(categories[c] + ": " + count))
            .append("</title></rect>");
      }
    }
    int lx = LEFT;
    for (int c = 0; c < categories.length; c++) {
      svg.append("<rect x=\"")
          .append(lx)
          .append("\" y=\"192\" width=\"10\" height=\"10\" fill=\"")
          .append(COLOURS[c % COLOURS.length])
          .append("\"/>");
      String label = categories[c].name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
      svg.append(SvgMarkup.text(lx + 14, 201, label, 11, "normal", "#333"));
      lx += 14 + label.length() * 7 + 12;
    }
    if (chronological.isEmpty()) {
      svg.append(SvgMarkup.text(LEFT + 10, 90, "No runs yet", 13, "normal", "#555"));
    }
    svg.append("</svg>");
    return svg.toString();
  }

  private static int total(Map<FindingCategory, Integer> counts) {
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }
}
