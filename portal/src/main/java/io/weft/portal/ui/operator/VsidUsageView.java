package io.weft.portal.ui.operator;

import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.weft.fabric.HostService;
import io.weft.fabric.Utilisation;
import io.weft.portal.ui.CurrentUser;
import io.weft.portal.ui.StatCard;
import io.weft.portal.ui.Ui;
import jakarta.annotation.security.RolesAllowed;

/** How much of the cloud-wide VSID space (4096..16,777,214) is allocated to subnets. */
@Route("operator/vsids")
@PageTitle("VSID usage · Weft")
@RolesAllowed("OPERATOR")
public class VsidUsageView extends VerticalLayout {

  final Utilisation usage;

  public VsidUsageView(CurrentUser user, HostService hosts) {
    Ui.page(this);
    usage = hosts.vsidUsage(user.caller());
    FlexLayout stats =
        new FlexLayout(
            new StatCard("Allocated", usage.allocated(), "one per subnet"),
            new StatCard("Free", free(usage), null),
            new StatCard("Usable", usage.size(), "VSIDs 0–4095 are reserved"));
    stats.setWidthFull();
    stats.getStyle().set("gap", "var(--lumo-space-m)");
    ProgressBar bar = new ProgressBar(0, 100, Math.clamp(usage.percent(), 0, 100));
    bar.setId("vsid-bar");
    Paragraph percent =
        new Paragraph(String.format("%.4f %% of the VSID space is in use", usage.percent()));
    percent.setId("vsid-percent");
    add(
        Ui.header(
            "VSID usage",
            "Virtual Subnet IDs are unique across the whole cloud; every subnet takes one."),
        stats,
        bar,
        percent);
  }

  private static String free(Utilisation usage) {
    return new java.math.BigInteger(usage.size())
        .subtract(new java.math.BigInteger(usage.allocated()))
        .toString();
  }
}
