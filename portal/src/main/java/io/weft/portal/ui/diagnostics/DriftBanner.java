package io.weft.portal.ui.diagnostics;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.router.RouterLink;
import io.weft.diagnostics.DriftReport;
import io.weft.diagnostics.HostDrift;
import java.util.Optional;
import java.util.stream.Collectors;

/** A line on the operator's dashboard: which hosts drift from the fabric's tables, if any. */
public final class DriftBanner {

  private DriftBanner() {}

  public static Div of(Optional<DriftReport> latest) {
    Div banner = new Div();
    banner.setId("drift-banner");
    String text =
        latest
            .map(r ->
                r.drifting() == 0
                    ? "Table drift: every host forwards with the intended table."
                    : "Table drift: "
                        + r.hosts().stream()
                            .filter(HostDrift::drifting)
                            .map(h -> h.hostName() + " (" + h.verdict() + ")")
                            .collect(Collectors.joining(", "))
                        + ".")
            .orElse("Table drift: not audited yet.");
    Span line = new Span(text);
    if (latest.map(r -> r.drifting() > 0).orElse(false)) {
      line.getStyle().set("color", "var(--lumo-error-text-color)").set("font-weight", "600");
    }
    banner.add(line, new Span(" "), new RouterLink("Details", DriftView.class));
    return banner;
  }
}
