package io.weft.portal.ui.operator;

import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.weft.ipam.PoolUsage;
import io.weft.ipam.VsidPoolService;
import io.weft.portal.ui.StatCard;
import io.weft.portal.ui.Ui;
import jakarta.annotation.security.RolesAllowed;

/** How much of the cloud-wide VSID space (4096..16,777,214) is allocated to subnets. */
@Route("operator/vsids")
@PageTitle("VSID usage · Weft")
@RolesAllowed("OPERATOR")
public class VsidUsageView extends VerticalLayout {

  final PoolUsage usage;

  public VsidUsageView(VsidPoolService vsids) {
    Ui.page(this);
    usage = vsids.usage();
    FlexLayout stats =
        new FlexLayout(
            new StatCard("Allocated", usage.allocated().toString(), "one per subnet"),
            new StatCard("Free", usage.free().toString(), null),
            new StatCard("Usable", usage.size().toString(), "VSIDs 0–4095 are reserved"));
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
}
