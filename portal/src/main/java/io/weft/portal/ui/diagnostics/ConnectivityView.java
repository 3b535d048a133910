package io.weft.portal.ui.diagnostics;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.Svg;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.shared.Registration;
import com.vaadin.flow.theme.lumo.LumoUtility;
import io.weft.diagnostics.ConnectivityAnswer;
import io.weft.diagnostics.ConnectivityCheck;
import io.weft.diagnostics.ConnectivityRequest;
import io.weft.diagnostics.ProbeAnswer;
import io.weft.fabric.VmService;
import io.weft.portal.ui.CurrentUser;
import io.weft.portal.ui.Problems;
import io.weft.portal.ui.Ui;
import jakarta.annotation.security.RolesAllowed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * "Why can't these two VMs talk?" in one answer: pick the source vNIC and the destination, and the
 * trace over intended tables, the trace over applied tables and a live probe run together. The
 * sentence comes first, then the path as a picture, then the details. While the live probe is under
 * way the page shows its progress and asks again every half second. Tenants pick only their own
 * vNICs and never see host names; {@code ?vnic=…&to=…} opens with an answer.
 */
@Route("diagnostics/connectivity")
@PageTitle("Why can't they talk? · Weft")
@RolesAllowed({"OPERATOR", "TENANT_ADMIN", "TENANT_MEMBER"})
public class ConnectivityView extends VerticalLayout implements BeforeEnterObserver {

  static final int POLL_MS = 500;

  final VnicPicker source;
  final ComboBox<String> destination = new ComboBox<>("To (VM or address)");
  final ProtocolSelect protocol = new ProtocolSelect();
  final IntegerField port = new IntegerField("Port");
  final Paragraph sentence = new Paragraph();
  final Svg picture = new Svg();
  final ConnectivityDetails details = new ConnectivityDetails();
  private final ProgressBar progress = new ProgressBar();
  private final Span progressText = new Span();
  private final HorizontalLayout running = new HorizontalLayout(progress, progressText);
  private final Div result = new Div();
  private final ConnectivityCheck connectivity;
  private final CurrentUser user;
  private final Map<String, String> vmByAddress = new LinkedHashMap<>();
  private ConnectivityAnswer answer;
  private Registration polling;
  private long pollingSince;

  public ConnectivityView(ConnectivityCheck connectivity, VmService vms, CurrentUser user) {
    this.connectivity = connectivity;
    this.user = user;
    Ui.page(this);
    add(
        Ui.header(
            "Why can't they talk?",
            "One answer: the cloud's tables are traced there and back, what every host really"
                + " applies is traced too, and a live probe is sent from the VM's port. No login"
                + " into any VM."));
    this.source = new VnicPicker(vms, user.caller());
    configureForm();
    configureResult();
  }

  private void configureForm() {
    source.setId("connectivity-source");
    source.setWidth("20em");
    source.choices().stream()
        .filter(c -> c.address() != null)
        .forEach(c -> vmByAddress.putIfAbsent(c.address(), c.vm()));
    destination.setId("connectivity-destination");
    destination.setItems(new ArrayList<>(vmByAddress.keySet()));
    destination.setItemLabelGenerator(
        a -> vmByAddress.containsKey(a) ? vmByAddress.get(a) + " · " + a : a);
    destination.setAllowCustomValue(true);
    destination.addCustomValueSetListener(e -> destination.setValue(e.getDetail().strip()));
    destination.setPlaceholder("a VM, or 10.0.0.11");
    destination.setWidth("20em");
    protocol.setId("connectivity-protocol");
    port.setId("connectivity-port");
    port.setWidth("7em");
    var run = Ui.primary("Check", VaadinIcon.PLAY);
    run.setId("connectivity-run");
    run.addClickListener(e -> ask());
    HorizontalLayout form = new HorizontalLayout(source, destination, protocol, port, run);
    form.setAlignItems(FlexComponent.Alignment.BASELINE);
    form.setWrap(true);
    add(form);
  }

  private void configureResult() {
    progress.setIndeterminate(true);
    progress.setWidth("12em");
    progressText.setId("connectivity-progress");
    running.setAlignItems(FlexComponent.Alignment.CENTER);
    running.setVisible(false);
    sentence.setId("connectivity-sentence");
    sentence.addClassNames(LumoUtility.FontSize.LARGE, LumoUtility.FontWeight.SEMIBOLD);
    picture.setId("connectivity-path");
    picture.getElement().getStyle().set("width", "100%").set("display", "block");
    result.setWidthFull();
    result.add(sentence, running, picture, details);
    result.setVisible(false);
    add(result);
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    if (source.openWith(event.getLocation().getQueryParameters(), destination)) {
      ask();
    }
  }

  /** Asks without waiting: the traces come back at once, the probe is followed by polling. */
  void ask() {
    ConnectivityRequest request =
        new ConnectivityRequest(
            source.vnicId(), destination.getValue(), protocol.getValue(), port.getValue(), 0);
    Map<String, HasValidation> fields =
        Map.of(
            "sourceVnicId", source,
            "destination", destination,
            "protocol", protocol,
            "port", port);
    stopPolling();
    Problems.attempt(() -> connectivity.check(user.caller(), request), fields)
        .ifPresentOrElse(this::show, () -> result.setVisible(false));
  }

  private void show(ConnectivityAnswer asked) {
    answer = asked;
    boolean under = asked.state() == ProbeAnswer.State.RUNNING;
    sentence.setText(asked.sentence());
    sentence.getStyle().set("color", under ? "inherit" : asked.works() ? "#2e7d32" : "#c62828");
    running.setVisible(under);
    progressText.setText(
        under ? "The live probe is under way: its echoes are on the wire…" : "Done.");
    picture.setSvg(ConnectivityPathSvg.render(asked));
    details.show(asked);
    result.setVisible(true);
    if (under) {
      startPolling();
    } else {
      stopPolling();
    }
  }

  private void startPolling() {
    if (polling != null) {
      return;
    }
    getUI()
        .ifPresent(ui -> {
          pollingSince = System.nanoTime();
          ui.setPollInterval(POLL_MS);
          polling = ui.addPollListener(e -> followProbe());
        });
  }

  /** One look at the probe; after a minute the page stops asking (the answer stays RUNNING). */
  void followProbe() {
    if (answer == null || answer.state() != ProbeAnswer.State.RUNNING) {
      stopPolling();
      return;
    }
    if (System.nanoTime() - pollingSince > Duration.ofMinutes(1).toNanos()) {
      stopPolling();
      progressText.setText("No answer from the probe for a minute: run it again.");
      return;
    }
    Problems.attempt(() -> connectivity.get(user.caller(), answer.id(), Duration.ZERO), Map.of())
        .ifPresentOrElse(this::show, this::stopPolling);
  }

  private void stopPolling() {
    if (polling != null) {
      polling.remove();
      polling = null;
      getUI().ifPresent(ui -> ui.setPollInterval(-1));
    }
  }

  @Override
  protected void onAttach(AttachEvent event) {
    super.onAttach(event);
    if (answer != null && answer.state() == ProbeAnswer.State.RUNNING) {
      startPolling();
    }
  }

  @Override
  protected void onDetach(DetachEvent event) {
    stopPolling();
    super.onDetach(event);
  }

  /** The last answer shown, for tests. */
  ConnectivityAnswer answer() {
    return answer;
  }
}
