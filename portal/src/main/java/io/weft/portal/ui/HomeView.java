package io.weft.portal.ui;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.spring.security.AuthenticationContext;
import com.vaadin.flow.theme.lumo.LumoUtility;
import io.weft.diagnostics.ReconciliationService;
import io.weft.diagnostics.TableDriftAudit;
import io.weft.fabric.AuditLog;
import io.weft.fabric.HostService;
import io.weft.fabric.NetworkService;
import io.weft.fabric.TenantService;
import io.weft.fabric.VmService;
import io.weft.portal.ui.diagnostics.DriftBanner;
import io.weft.portal.ui.operator.OperatorDashboard;
import io.weft.portal.ui.reconciliation.OpenFindingsPanel;
import io.weft.portal.ui.tenant.FirstNetworkWizard;
import io.weft.portal.ui.tenant.TenantDashboard;
import jakarta.annotation.security.PermitAll;

/**
 * The first page after sign-in: the dashboard of the user's role. A tenant with no VM network yet
 * is taken to the first-network wizard instead (once; "skip" lets them look around first).
 */
@Route("")
@PageTitle("Dashboard · Weft")
@PermitAll
public class HomeView extends VerticalLayout implements BeforeEnterObserver {

  /** Set in the session when a tenant user skipped the wizard. */
  public static final String WIZARD_SKIPPED = "weft.wizardSkipped";

  private final CurrentUser user;
  private final NetworkService networks;

  public HomeView(
      AuthenticationContext authentication,
      CurrentUser user,
      TenantService tenants,
      NetworkService networks,
      VmService vms,
      HostService hosts,
      AuditLog audit,
      TableDriftAudit drift,
      ReconciliationService reconciliation) {
    this.user = user;
    this.networks = networks;
    Ui.page(this);
    String name = authentication.getPrincipalName().orElse("");
    H2 title = new H2("Welcome, " + name);
    title.setId("home-title");
    title.addClassNames(LumoUtility.Margin.Bottom.NONE, LumoUtility.FontSize.XLARGE);
    add(title);
    if (authentication.hasRole("OPERATOR")) {
      add(new OperatorDashboard(user.caller(), tenants, vms, hosts, audit));
      add(DriftBanner.of(drift.latest(user.caller())));
    } else {
      add(new TenantDashboard(user.caller(), tenants, networks, vms, audit));
    }
    add(new OpenFindingsPanel(user.caller(), reconciliation));
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    var caller = user.caller();
    if (caller.isOperator()) {
      return;
    }
    boolean skipped = VaadinSession.getCurrent().getAttribute(WIZARD_SKIPPED) != null;
    if (!skipped && networks.listVmNetworks(caller, caller.tenant().orElseThrow()).isEmpty()) {
      event.forwardTo(FirstNetworkWizard.class);
    }
  }
}
