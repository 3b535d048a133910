package io.weft.portal.ui.operator;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.theme.lumo.LumoUtility;
import io.weft.fabric.Quotas;
import io.weft.fabric.Tenant;
import io.weft.fabric.TenantService;
import io.weft.fabric.TenantState;
import io.weft.portal.ui.CurrentUser;
import io.weft.portal.ui.Problems;
import io.weft.portal.ui.Ui;
import jakarta.annotation.security.RolesAllowed;
import java.util.Map;

/** Every tenant with its usage; select one to set quotas, suspend or resume, or see its VMs. */
@Route("operator/tenants")
@PageTitle("Tenants · Weft")
@RolesAllowed("OPERATOR")
public class TenantsView extends VerticalLayout {

  final Grid<Tenant> grid = new Grid<>(Tenant.class, false);
  final IntegerField vmNetworks = quotaField("VM networks");
  final IntegerField subnets = quotaField("Subnets");
  final IntegerField vms = quotaField("VMs");
  final IntegerField vnics = quotaField("vNICs");
  final IntegerField publicIps = quotaField("Public IPs");
  final Button saveQuotas = Ui.primary("Save quotas", VaadinIcon.CHECK);
  final Button suspend = new Button("Suspend");
  final Button showVms = new Button("Show its VMs", VaadinIcon.DESKTOP.create());
  private final VerticalLayout editor = new VerticalLayout();
  private final TenantService tenants;
  private final CurrentUser user;
  private Tenant selected;

  public TenantsView(TenantService tenants, CurrentUser user) {
    this.tenants = tenants;
    this.user = user;
    Ui.page(this);
    configureGrid();
    configureEditor();
    Paragraph hint =
        new Paragraph(
            "Select a tenant to change its quotas, suspend or resume it, or see its VMs.");
    hint.addClassNames(LumoUtility.TextColor.SECONDARY);
    add(
        Ui.header("Tenants", "Organisations using the cloud, their usage and quotas"),
        grid,
        hint,
        editor);
    refresh();
  }

  private static IntegerField quotaField(String label) {
    IntegerField f = new IntegerField(label);
    f.setMin(0);
    f.setStepButtonsVisible(true);
    return f;
  }

  private void configureGrid() {
    grid.setId("tenants-grid");
    grid.addColumn(Tenant::name).setHeader("Tenant").setAutoWidth(true).setSortable(true);
    grid.addColumn(Tenant::slug).setHeader("Slug").setAutoWidth(true);
    grid.addComponentColumn(t ->
            Ui.pill(
                t.state() == TenantState.ACTIVE ? "Active" : "Suspended",
                t.state() == TenantState.ACTIVE))
        .setHeader("State")
        .setAutoWidth(true);
    grid.addColumn(t -> t.usage().vmNetworks() + " / " + t.quotas().vmNetworks())
        .setHeader("VM networks");
    grid.addColumn(t -> t.usage().subnets() + " / " + t.quotas().subnets()).setHeader("Subnets");
    grid.addColumn(t -> t.usage().vms() + " / " + t.quotas().vms()).setHeader("VMs");
    grid.addColumn(t -> Ui.time(t.createdAt())).setHeader("Signed up").setAutoWidth(true);
    grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
    grid.setAllRowsVisible(true);
    grid.setEmptyStateText("No tenants yet: organisations appear here when they sign up.");
    grid.asSingleSelect().addValueChangeListener(e -> edit(e.getValue()));
  }

  private void configureEditor() {
    saveQuotas.setId("save-quotas");
    saveQuotas.addClickListener(e -> saveQuotas());
    suspend.setId("suspend-tenant");
    suspend.addClickListener(e -> toggleState());
    showVms.addClickListener(e ->
        getUI()
            .ifPresent(ui ->
                ui.navigate(
                    AllVmsView.class,
                    QueryParameters.of("tenant", selected.id().value().toString()))));
    FormLayout quotas = new FormLayout(vmNetworks, subnets, vms, vnics, publicIps);
    quotas.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 5));
    editor.setPadding(false);
    editor.add(Ui.section("Quotas"), quotas, new HorizontalLayout(saveQuotas, suspend, showVms));
    editor.setVisible(false);
    editor.setId("tenant-editor");
  }

  void edit(Tenant tenant) {
    selected = tenant;
    editor.setVisible(tenant != null);
    if (tenant == null) {
      return;
    }
    Quotas q = tenant.quotas();
    vmNetworks.setValue(q.vmNetworks());
    subnets.setValue(q.subnets());
    vms.setValue(q.vms());
    vnics.setValue(q.vnics());
    publicIps.setValue(q.publicIps());
    boolean active = tenant.state() == TenantState.ACTIVE;
    suspend.setText(active ? "Suspend" : "Resume");
    suspend.setIcon(active ? VaadinIcon.PAUSE.create() : VaadinIcon.PLAY.create());
    suspend.removeThemeVariants(ButtonVariant.LUMO_ERROR);
    if (active) {
      suspend.addThemeVariants(ButtonVariant.LUMO_ERROR);
    }
  }

  void saveQuotas() {
    Problems.attempt(
            () ->
                tenants.updateQuotas(
                    user.caller(),
                    selected.id(),
                    new Quotas(
                        value(vmNetworks),
                        value(subnets),
                        value(vms),
                        value(vnics),
                        value(publicIps))),
            Map.of(
                "vmNetworks", vmNetworks,
                "subnets", subnets,
                "vms", vms,
                "vnics", vnics,
                "publicIps", publicIps))
        .ifPresent(t -> {
          Problems.success("Quotas of " + t.name() + " saved");
          refresh(t);
        });
  }

  void toggleState() {
    TenantState next =
        selected.state() == TenantState.ACTIVE ? TenantState.SUSPENDED : TenantState.ACTIVE;
    Problems.attempt(() -> tenants.setState(user.caller(), selected.id(), next), Map.of())
        .ifPresent(t -> {
          Problems.success(t.name() + (next == TenantState.ACTIVE ? " resumed" : " suspended"));
          refresh(t);
        });
  }

  private static int value(IntegerField f) {
    return f.getValue() == null ? -1 : f.getValue();
  }

  private void refresh(Tenant keep) {
    refresh();
    grid.getListDataView()
        .getItems()
        .filter(t -> t.id().equals(keep.id()))
        .findFirst()
        .ifPresent(grid::select);
  }

  void refresh() {
    grid.setItems(tenants.list(user.caller()));
  }
}
