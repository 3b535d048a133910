package io.weft.portal.ui.reconciliation;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.router.RouterLink;
import io.weft.diagnostics.ClockHealth;
import io.weft.diagnostics.Finding;
import io.weft.diagnostics.FindingCategory;
import io.weft.diagnostics.FindingQuery;
import io.weft.diagnostics.FindingState;
import io.weft.diagnostics.ReconciliationService;
import io.weft.fabric.Caller;
import io.weft.portal.ui.Ui;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The dashboard's line on IP reconciliation: open findings by category, linking to the view. */
public class OpenFindingsPanel extends Div {

  public OpenFindingsPanel(Caller caller, ReconciliationService reconciliation) {
    setId("open-findings");
    List<Finding> open =
        reconciliation.findings(caller, new FindingQuery(null, null, FindingState.OPEN, 0, 1000));
    Map<FindingCategory, Integer> counts = new EnumMap<>(FindingCategory.class);
    open.forEach(f -> counts.merge(f.category(), 1, Integer::sum));
    StringBuilder text = new StringBuilder();
    if (open.isEmpty()) {
      text.append("No open findings: allocated, configured and seen addresses agree.");
    } else {
      text.append(open.size() >= 1000 ? "1000+" : open.size()).append(" open: ");
      counts.forEach((c, n) ->
          text.append(n)
              .append(' ')
              .append(c.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '))
              .append("; "));
    }
    add(
        Ui.section("IP address findings"),
        new Paragraph(text.toString()),
        new RouterLink("Open IP reconciliation", ReconciliationView.class));
    if (caller.isOperator()) {
      ClockHealth clocks = reconciliation.clockHealth(caller);
      Paragraph line = new Paragraph(clockText(clocks));
      line.setId("clock-health");
      add(Ui.section("Clocks"), line);
    }
  }

  /** The dashboard's clock line: "not configured", fine, a warning beyond 500 ms, an alert. */
  static String clockText(ClockHealth clocks) {
    String worst =
        clocks.readings().stream()
            .filter(r -> r.status().equals(clocks.status()) && r.offsetMs() != null)
            .map(r -> r.source() + " " + r.name() + " is " + r.offsetMs() + " ms off")
            .findFirst()
            .orElse("");
    return switch (clocks.status()) {
      case "NOT_CONFIGURED" -> "Clock check not configured (set weft.clock.ntp-servers).";
      case "OK" -> "All clocks within " + clocks.warnMs() + " ms of NTP.";
      case "WARNING" -> "Warning: " + worst + " (more than " + clocks.warnMs() + " ms).";
      case "ALERT" ->
          "Alert: "
              + worst
              + " (more than "
              + clocks.alertMs()
              + " ms): Quartz clustering and"
              + " lease expiry need clocks within a second.";
      default -> "Some NTP servers do not answer.";
    };
  }
}
