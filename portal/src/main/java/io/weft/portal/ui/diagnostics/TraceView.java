package io.weft.portal.ui.diagnostics;

import com.vaadin.flow.component.Svg;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.theme.lumo.LumoUtility;
import io.weft.diagnostics.ConnectivityDiagnostics;
import io.weft.diagnostics.TraceAnswer;
import io.weft.diagnostics.TraceRequest;
import io.weft.fabric.VmService;
import io.weft.portal.ui.CurrentUser;
import io.weft.portal.ui.Problems;
import io.weft.portal.ui.Ui;
import jakarta.annotation.security.RolesAllowed;
import java.util.Map;

/**
 * "Why can't these two VMs talk?": pick a source vNIC and a destination, and the packet is traced
 * through the data plane's own pipeline over the fabric's tables. The answer opens with one
 * sentence, then the blockers with their fixes, the path as a picture and every step. Tenants pick
 * only their own vNICs and never see host names; {@code ?vnic=…&to=…} opens with a trace.
 */
@Route("diagnostics")
@PageTitle("Diagnostics · Weft")
@RolesAllowed({"OPERATOR", "TENANT_ADMIN", "TENANT_MEMBER"})
public class TraceView extends VerticalLayout implements BeforeEnterObserver {

  final VnicPicker source;
  final TextField destination = new TextField("To address");
  final ProtocolSelect protocol = new ProtocolSelect();
  final IntegerField port = new IntegerField("Port");
  final IntegerField size = new IntegerField("Size (bytes)");
  final Paragraph summary = new Paragraph();
  final Svg picture = new Svg();
  final BlockerList blockers = new BlockerList();
  final PathStepsGrid steps = new PathStepsGrid();
  private final ConnectivityDiagnostics diagnostics;
  private final CurrentUser user;
  private final Div result = new Div();
  private TraceAnswer answer;

  public TraceView(ConnectivityDiagnostics diagnostics, VmService vms, CurrentUser user) {
    this.diagnostics = diagnostics;
    this.user = user;
    Ui.page(this);
    add(
        Ui.header(
            "Diagnostics",
            "Trace a packet from one of the VMs through the cloud's tables, there and back: where"
                + " and why it stops, and what to change."));
    this.source = new VnicPicker(vms, user.caller());
    configureForm();
    configureResult();
  }

  private void configureForm() {
    source.setId("trace-source");
    source.setWidth("22em");
    destination.setId("trace-destination");
    destination.setPlaceholder("10.0.0.11");
    protocol.setId("trace-protocol");
    port.setId("trace-port");
    port.setWidth("7em");
    size.setId("trace-size");
    size.setWidth("8em");
    size.setPlaceholder("84");
    var run = Ui.primary("Trace", VaadinIcon.PLAY);
    run.setId("trace-run");
    run.addClickListener(e -> runTrace());
    HorizontalLayout form = new HorizontalLayout(source, destination, protocol, port, size, run);
    form.setAlignItems(FlexComponent.Alignment.BASELINE);
    form.setWrap(true);
    add(form);
  }

  private void configureResult() {
    summary.setId("trace-summary");
    summary.addClassNames(LumoUtility.FontSize.LARGE, LumoUtility.FontWeight.SEMIBOLD);
    picture.setId("trace-path");
    picture.getElement().getStyle().set("width", "100%").set("display", "block");
    blockers.setId("trace-blockers");
    steps.setId("trace-steps");
    result.setWidthFull();
    result.add(summary, picture, Ui.section("Blockers"), blockers, Ui.section("Steps"), steps);
    result.setVisible(false);
    add(result);
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    if (source.openWith(event.getLocation().getQueryParameters(), destination)) {
      runTrace();
    }
  }

  void runTrace() {
    TraceRequest request =
        new TraceRequest(
            source.vnicId(),
            destination.getValue(),
            protocol.getValue(),
            port.getValue(),
            size.getValue(),
            null);
    Map<String, com.vaadin.flow.component.HasValidation> fields =
        Map.of(
            "sourceVnicId", source,
            "destination", destination,
            "protocol", protocol,
            "port", port,
            "size", size);
    Problems.attempt(() -> diagnostics.trace(user.caller(), request), fields)
        .ifPresentOrElse(this::show, () -> result.setVisible(false));
  }

  private void show(TraceAnswer traced) {
    answer = traced;
    summary.setText(traced.summary());
    summary.getStyle().set("color", traced.reachable() ? "#2e7d32" : "#c62828");
    picture.setSvg(TracePathSvg.render(traced));
    blockers.show(traced.blockers());
    if (traced.blockers().isEmpty()) {
      blockers.add(new ListItem("None."));
    }
    traced.notes().forEach(n -> blockers.add(new ListItem("Note: " + n)));
    steps.setItems(traced.steps());
    result.setVisible(true);
  }

  /** The last answer shown, for tests. */
  TraceAnswer answer() {
    return answer;
  }
}
