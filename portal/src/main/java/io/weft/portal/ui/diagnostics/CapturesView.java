package io.weft.portal.ui.diagnostics;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.DownloadHandler;
import com.vaadin.flow.server.streams.DownloadResponse;
import com.vaadin.flow.shared.Registration;
import io.weft.diagnostics.CaptureRequest;
import io.weft.diagnostics.CaptureStatus;
import io.weft.diagnostics.PacketCaptures;
import io.weft.fabric.Caller;
import io.weft.fabric.HostService;
import io.weft.fabric.PageRequest;
import io.weft.fabric.Vm;
import io.weft.fabric.VmService;
import io.weft.portal.ui.CurrentUser;
import io.weft.portal.ui.Problems;
import io.weft.portal.ui.Ui;
import jakarta.annotation.security.RolesAllowed;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Start a bounded packet capture on one of the VMs' vNICs (operators also on a host's underlay) and
 * download it as a pcap file once done. Every bound is required; the list refreshes while captures
 * run.
 */
@Route("diagnostics/captures")
@PageTitle("Captures · Weft")
@RolesAllowed({"OPERATOR", "TENANT_ADMIN", "TENANT_MEMBER"})
public class CapturesView extends VerticalLayout {

  /** A vNIC or host to capture on. */
  record Target(String id, String label) {}

  final ComboBox<Target> vnic = new ComboBox<>("vNIC");
  final ComboBox<Target> host = new ComboBox<>("or a host's underlay");
  final IntegerField packets = new IntegerField("Packets");
  final IntegerField seconds = new IntegerField("Seconds");
  final IntegerField kilobytes = new IntegerField("At most (KiB)");
  final TextField address = new TextField("Address (optional)");
  final Select<String> protocol = new Select<>();
  final IntegerField vsid = new IntegerField("VSID (underlay, optional)");
  final Grid<CaptureStatus> captures = new Grid<>(CaptureStatus.class, false);
  private final PacketCaptures service;
  private final CurrentUser user;
  private Registration polling;

  public CapturesView(PacketCaptures service, VmService vms, HostService hosts, CurrentUser user) {
    this.service = service;
    this.user = user;
    Ui.page(this);
    Caller caller = user.caller();
    var start = Ui.primary("Start capture", VaadinIcon.RECORDS);
    start.setId("capture-start");
    start.addClickListener(e -> start());
    add(
        Ui.header(
            "Captures",
            "Capture a vNIC's packets, bounded in packets, time and size, and download them for"
                + " Wireshark or tshark.",
            start));
    vnic.setId("capture-vnic");
    vnic.setItems(vnics(vms, caller));
    vnic.setItemLabelGenerator(Target::label);
    vnic.setWidth("22em");
    packets.setId("capture-packets");
    packets.setValue(100);
    seconds.setId("capture-seconds");
    seconds.setValue(10);
    kilobytes.setId("capture-kib");
    kilobytes.setValue(1024);
    address.setId("capture-address");
    address.setPlaceholder("10.0.0.7 or fd00::7");
    address.setHelperText("IPv4 or IPv6: packets from or to it");
    protocol.setLabel("Protocol");
    protocol.setItems("any", "ICMP", "ICMPv6", "TCP", "UDP");
    protocol.setValue("any");
    HorizontalLayout form = new HorizontalLayout(vnic);
    if (caller.isOperator()) {
      host.setId("capture-host");
      host.setItems(
          hosts.listHosts(caller).stream()
              .map(h -> new Target(h.id().toString(), h.name()))
              .toList());
      host.setItemLabelGenerator(Target::label);
      vsid.setId("capture-vsid");
      form.add(host);
    }
    form.add(packets, seconds, kilobytes, address, protocol);
    if (caller.isOperator()) {
      form.add(vsid);
    }
    form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
    form.setWrap(true);
    configureGrid();
    add(form, Ui.section("Captures"), captures);
    refresh();
  }

  private static List<Target> vnics(VmService vms, Caller caller) {
    List<Vm> all =
        caller.isOperator()
            ? vms.pageAllVms(caller, PageRequest.first(PageRequest.MAX_LIMIT)).items()
            : vms.listVms(caller, caller.tenant().orElseThrow());
    List<Target> out = new ArrayList<>();
    for (Vm vm : all) {
      vm.nics()
          .forEach(n ->
              out.add(
                  new Target(
                      n.id().toString(),
                      vm.name() + " · " + (n.address() == null ? "no address yet" : n.address()))));
    }
    return out;
  }

  private void configureGrid() {
    captures.setId("captures-grid");
    captures.addColumn(c -> Ui.time(c.requestedAt())).setHeader("Started").setAutoWidth(true);
    captures.addColumn(CaptureStatus::target).setHeader("On").setFlexGrow(2);
    captures.addColumn(CaptureStatus::filter).setHeader("Filter").setAutoWidth(true);
    captures
        .addComponentColumn(c -> Ui.pill(c.state(), !c.state().equals("FAILED")))
        .setHeader("State")
        .setAutoWidth(true);
    captures.addColumn(CapturesView::outcome).setHeader("Result").setFlexGrow(2);
    captures.addComponentColumn(this::download).setHeader("").setAutoWidth(true);
    captures.addThemeVariants(GridVariant.LUMO_COMPACT);
    captures.setAllRowsVisible(true);
    captures.setEmptyStateText("No captures yet.");
  }

  private static String outcome(CaptureStatus c) {
    return switch (c.state()) {
      case "DONE" ->
          c.packets() + " packets, " + c.sizeBytes() + " bytes (stopped by " + c.stoppedBy() + ")";
      case "FAILED" -> c.error();
      default -> "running, at most " + c.maxSeconds() + " s";
    };
  }

  private com.vaadin.flow.component.Component download(CaptureStatus c) {
    if (!c.state().equals("DONE")) {
      return new Span();
    }
    Caller caller = user.caller();
    Anchor link =
        new Anchor(
            DownloadHandler.fromInputStream(event -> {
              byte[] file = service.pcap(caller, c.id());
              return new DownloadResponse(
                  new ByteArrayInputStream(file),
                  "capture-" + c.id() + ".pcap",
                  "application/vnd.tcpdump.pcap",
                  file.length);
            }),
            "Download pcap");
    link.setId("capture-download-" + c.id());
    link.getElement().setAttribute("download", true);
    return link;
  }

  void start() {
    Target onVnic = vnic.getValue();
    Target onHost = host.getValue();
    Integer kib = kilobytes.getValue();
    CaptureRequest request =
        new CaptureRequest(
            onVnic == null ? null : onVnic.id(),
            onVnic == null && onHost != null ? onHost.id() : null,
            packets.getValue(),
            seconds.getValue(),
            kib == null ? null : kib * 1024,
            vsid.getValue(),
            address.getValue().isBlank() ? null : address.getValue(),
            "any".equals(protocol.getValue()) ? null : protocol.getValue());
    Map<String, HasValidation> fields =
        Map.of(
            "vnicId", vnic,
            "hostId", host,
            "packets", packets,
            "seconds", seconds,
            "bytes", kilobytes,
            "address", address,
            "vsid", vsid);
    Problems.attempt(() -> service.start(user.caller(), request), fields).ifPresent(s -> refresh());
  }

  void refresh() {
    Problems.attempt(() -> service.list(user.caller(), 50), Map.of())
        .ifPresent(list -> {
          // A running capture is finished by whoever asks for its status first.
          List<CaptureStatus> fresh = new ArrayList<>();
          for (CaptureStatus c : list) {
            fresh.add(c.state().equals("RUNNING") ? service.status(user.caller(), c.id()) : c);
          }
          captures.setItems(fresh);
        });
  }

  @Override
  protected void onAttach(AttachEvent event) {
    super.onAttach(event);
    event.getUI().setPollInterval(2000);
    polling = event.getUI().addPollListener(e -> refresh());
  }

  @Override
  protected void onDetach(DetachEvent event) {
    if (polling != null) {
      polling.remove();
      polling = null;
    }
    event.getUI().setPollInterval(-1);
    super.onDetach(event);
  }
}
