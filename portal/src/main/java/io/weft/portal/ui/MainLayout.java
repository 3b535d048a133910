package io.weft.portal.ui;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.Layout;
import com.vaadin.flow.spring.security.AuthenticationContext;
import com.vaadin.flow.theme.lumo.LumoUtility;
import io.weft.portal.ui.diagnostics.CapturesView;
import io.weft.portal.ui.diagnostics.ConnectivityView;
import io.weft.portal.ui.diagnostics.DriftView;
import io.weft.portal.ui.diagnostics.DropsView;
import io.weft.portal.ui.diagnostics.TraceView;
import io.weft.portal.ui.operator.AllVmsView;
import io.weft.portal.ui.operator.ExternalHostsView;
import io.weft.portal.ui.operator.HostsView;
import io.weft.portal.ui.operator.LogicalNetworksView;
import io.weft.portal.ui.operator.MigrationsView;
import io.weft.portal.ui.operator.TenantsView;
import io.weft.portal.ui.operator.VsidUsageView;
import io.weft.portal.ui.reconciliation.ReconciliationView;
import io.weft.portal.ui.tenant.AccountView;
import io.weft.portal.ui.tenant.ActivityView;
import io.weft.portal.ui.tenant.TenantUsersView;
import io.weft.portal.ui.tenant.TopologyView;
import io.weft.portal.ui.tenant.VmNetworksView;
import io.weft.portal.ui.tenant.VmsView;
import jakarta.annotation.security.PermitAll;

/**
 * The frame around every signed-in view: brand, navigation for the user's role, who is signed in,
 * sign out. Tenants never see operator entries (and the views refuse them anyway).
 */
@Layout
@PermitAll
public class MainLayout extends AppLayout {

  public MainLayout(AuthenticationContext authentication) {
    setPrimarySection(Section.DRAWER);
    addToNavbar(new DrawerToggle(), header(authentication));
    addToDrawer(brand(), navigation(authentication));
  }

  private static HorizontalLayout header(AuthenticationContext authentication) {
    Span user =
        new Span(authentication.getPrincipalName().map(name -> "Signed in as " + name).orElse(""));
    user.addClassNames(LumoUtility.TextColor.SECONDARY, LumoUtility.FontSize.SMALL);
    Button signOut =
        new Button("Sign out", VaadinIcon.SIGN_OUT.create(), e -> authentication.logout());
    signOut.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
    signOut.setId("sign-out");
    HorizontalLayout header = new HorizontalLayout(user, signOut);
    header.setAlignItems(FlexComponent.Alignment.CENTER);
    header.addClassNames(LumoUtility.Margin.Left.AUTO, LumoUtility.Padding.Horizontal.MEDIUM);
    return header;
  }

  private static Span brand() {
    Span brand = new Span("Weft");
    brand.addClassNames(
        LumoUtility.FontSize.XLARGE,
        LumoUtility.FontWeight.SEMIBOLD,
        LumoUtility.Padding.MEDIUM,
        LumoUtility.Display.BLOCK);
    return brand;
  }

  private static SideNav navigation(AuthenticationContext authentication) {
    SideNav nav = new SideNav();
    nav.addItem(new SideNavItem("Dashboard", HomeView.class, VaadinIcon.DASHBOARD.create()));
    if (authentication.hasRole("OPERATOR")) {
      nav.addItem(
          new SideNavItem("Tenants", TenantsView.class, VaadinIcon.BUILDING.create()),
          new SideNavItem("Hosts", HostsView.class, VaadinIcon.SERVER.create()),
          new SideNavItem(
              "Logical networks", LogicalNetworksView.class, VaadinIcon.CLUSTER.create()),
          new SideNavItem("External hosts", ExternalHostsView.class, VaadinIcon.CONNECT.create()),
          new SideNavItem("All VMs", AllVmsView.class, VaadinIcon.DESKTOP.create()),
          new SideNavItem("Live migrations", MigrationsView.class, VaadinIcon.EXCHANGE.create()),
          new SideNavItem("VSID usage", VsidUsageView.class, VaadinIcon.BAR_CHART.create()),
          new SideNavItem("Diagnostics", TraceView.class, VaadinIcon.STETHOSCOPE.create()),
          new SideNavItem(
              "Why can't they talk?", ConnectivityView.class, VaadinIcon.CONNECT_O.create()),
          new SideNavItem("Table drift", DriftView.class, VaadinIcon.SCALE_UNBALANCE.create()),
          new SideNavItem("Drops", DropsView.class, VaadinIcon.BAN.create()),
          new SideNavItem("Captures", CapturesView.class, VaadinIcon.RECORDS.create()),
          new SideNavItem("IP reconciliation", ReconciliationView.class, VaadinIcon.SCALE.create()),
          new SideNavItem("Audit log", ActivityView.class, VaadinIcon.LIST.create()));
    } else {
      nav.addItem(
          new SideNavItem("VM networks", VmNetworksView.class, VaadinIcon.CLUSTER.create()),
          new SideNavItem("VMs", VmsView.class, VaadinIcon.DESKTOP.create()),
          new SideNavItem("Topology", TopologyView.class, VaadinIcon.SITEMAP.create()),
          new SideNavItem("Diagnostics", TraceView.class, VaadinIcon.STETHOSCOPE.create()),
          new SideNavItem(
              "Why can't they talk?", ConnectivityView.class, VaadinIcon.CONNECT_O.create()),
          new SideNavItem("Drops", DropsView.class, VaadinIcon.BAN.create()),
          new SideNavItem("Captures", CapturesView.class, VaadinIcon.RECORDS.create()),
          new SideNavItem("IP findings", ReconciliationView.class, VaadinIcon.SCALE.create()));
      if (authentication.hasRole("TENANT_ADMIN")) {
        nav.addItem(
            new SideNavItem("Users", TenantUsersView.class, VaadinIcon.USERS.create()),
            new SideNavItem("Activity", ActivityView.class, VaadinIcon.LIST.create()));
      }
    }
    nav.addItem(new SideNavItem("My account", AccountView.class, VaadinIcon.USER.create()));
    return nav;
  }
}
