package io.weft.portal.ui.diagnostics;

import com.vaadin.flow.component.Svg;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.theme.lumo.LumoUtility;
import io.weft.diagnostics.Blocker;
import io.weft.diagnostics.ConnectivityDiagnostics;
import io.weft.diagnostics.PathStep;
import io.weft.diagnostics.TraceAnswer;
import io.weft.diagnostics.TraceRequest;
import io.weft.fabric.Caller;
import io.weft.fabric.PageRequest;
import io.weft.fabric.Vm;
import io.weft.fabric.VmService;
import io.weft.portal.ui.CurrentUser;
import io.weft.portal.ui.Problems;
import io.weft.portal.ui.Ui;
import jakarta.annotation.security.RolesAllowed;
import java.util.ArrayList;
import java.util.List;
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

  /** A vNIC to pick as the source, shown with its VM and address. */
  record NicChoice(String vnicId, String label) {}

  final ComboBox<NicChoice> source = new ComboBox<>("From vNIC");
  final TextField destination = new TextField("To address");
  final Select<String> protocol = new Select<>();
  final IntegerField port = new IntegerField("Port");
  final IntegerField size = new IntegerField("Size (bytes)");
  final Paragraph summary = new Paragraph();
  final Svg picture = new Svg();
  final UnorderedList blockers = new UnorderedList();
  final Grid<PathStep> steps = new Grid<>(PathStep.class, false);
  private final ConnectivityDiagnostics diagnostics;
  private final CurrentUser user;
  private final Div result = new Div();
  private String sourceId;
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
    configureForm(choices(vms, user.caller()));
    configureResult();
  }

  private static List<NicChoice> choices(VmService vms, Caller caller) {
    List<Vm> all =
        caller.isOperator()
            ? vms.pageAllVms(caller, PageRequest.first(PageRequest.MAX_LIMIT)).items()
            : vms.listVms(caller, caller.tenant().orElseThrow());
    List<NicChoice> out = new ArrayList<>();
    for (Vm vm : all) {
      vm.nics()
          .forEach(n ->
              out.add(
                  new NicChoice(
                      n.id().toString(),
                      vm.name() + " · " + (n.address() == null ? "no address yet" : n.address()))));
    }
    return out;
  }

  private void configureForm(List<NicChoice> choices) {
    source.setId("trace-source");
    source.setItems(choices);
    source.setItemLabelGenerator(NicChoice::label);
    source.setWidth("22em");
    source.addValueChangeListener(
        e -> sourceId = e.getValue() == null ? null : e.getValue().vnicId());
    destination.setId("trace-destination");
    destination.setPlaceholder("10.0.0.11");
    protocol.setLabel("Protocol");
    protocol.setId("trace-protocol");
    protocol.setItems("ICMP", "TCP", "UDP");
    protocol.setValue("ICMP");
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
    steps
        .addColumn(s -> s.direction() == PathStep.Direction.FORWARD ? "→" : "←")
        .setHeader("")
        .setFlexGrow(0)
        .setWidth("3em");
    steps.addColumn(PathStep::host).setHeader("Where").setAutoWidth(true);
    steps.addColumn(PathStep::stage).setHeader("Stage").setAutoWidth(true);
    steps.addColumn(PathStep::detail).setHeader("What happened").setFlexGrow(2);
    steps.addColumn(PathStep::decidedBy).setHeader("Decided by").setFlexGrow(2);
    steps.setAllRowsVisible(true);
    result.setWidthFull();
    result.add(summary, picture, Ui.section("Blockers"), blockers, Ui.section("Steps"), steps);
    result.setVisible(false);
    add(result);
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    var params = event.getLocation().getQueryParameters();
    params
        .getSingleParameter("vnic")
        .ifPresent(id -> {
          sourceId = id;
          source
              .getListDataView()
              .getItems()
              .filter(c -> c.vnicId().equals(id))
              .findFirst()
              .ifPresent(source::setValue);
        });
    params.getSingleParameter("to").ifPresent(destination::setValue);
    if (sourceId != null && !destination.isEmpty()) {
      runTrace();
    }
  }

  void runTrace() {
    TraceRequest request =
        new TraceRequest(
            sourceId,
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
    blockers.removeAll();
    for (Blocker b : traced.blockers()) {
      blockers.add(
          new ListItem(
              b.cause()
                  + " — fix: "
                  + b.fix()
                  + (b.assumedFixed() ? " (traced on as if fixed)" : "")));
    }
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
