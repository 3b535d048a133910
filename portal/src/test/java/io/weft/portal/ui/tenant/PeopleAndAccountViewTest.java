package io.weft.portal.ui.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vaadin.flow.component.textfield.TextArea;
import io.weft.fabric.NetworkService;
import io.weft.fabric.identity.Role;
import io.weft.portal.ui.BrowserlessViewTest;
import io.weft.portal.ui.operator.HostsView;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class PeopleAndAccountViewTest extends BrowserlessViewTest {

  @Autowired NetworkService networks;
  @Autowired io.weft.fabric.AuditLog audit;

  @Test
  void anAdminAddsAMemberWhoCannotOpenTheUsersPage() {
    TenantAdmin a = newTenant("People Inc");
    signIn(a.email());
    TenantUsersView view = navigate(TenantUsersView.class);
    assertThat(test(view.grid).size()).isEqualTo(1);
    String member = "member-" + a.email();
    test(view.email).setValue(member);
    test(view.password).setValue("short");
    test(view.add).click();
    assertThat(view.password.isInvalid()).isTrue();
    test(view.password).setValue(PASSWORD);
    test(view.add).click();
    assertThat(test(view.grid).size()).isEqualTo(2);
    assertThat(accounts.findByUsername(member).orElseThrow().role()).isEqualTo(Role.TENANT_MEMBER);

    signIn(member);
    assertThatThrownBy(() -> navigate(TenantUsersView.class)).isInstanceOf(Exception.class);
  }

  @Test
  void tenantsNeverReachOperatorPages() {
    TenantAdmin a = newTenant("Curious");
    signIn(a.email());
    assertThatThrownBy(() -> navigate(HostsView.class)).isInstanceOf(Exception.class);
    assertThat(audit.recent(operator(), null, 200))
        .anyMatch(e ->
            e.actor().equals(a.email())
                && e.action().equals("access.denied")
                && e.target().contains("operator/hosts"));
  }

  @Test
  void anApiTokenSecretIsShownOnceAndTheListNeverShowsIt() {
    TenantAdmin a = newTenant("Scripter");
    signIn(a.email());
    AccountView view = navigate(AccountView.class);
    assertThat(view.tokens.isVisible()).isFalse();
    test(view.tokenName).setValue("backup");
    test(view.issue).click();
    String secret = $(TextArea.class).id("token-secret").getValue();
    assertThat(secret).isNotBlank();
    assertThat(test(view.tokens).size()).isEqualTo(1);
    assertThat(test(view.tokens).getCellText(0, 0)).isEqualTo("backup");
    for (int c = 0; c < 3; c++) {
      assertThat(test(view.tokens).getCellText(0, c)).doesNotContain(secret);
    }
  }

  @Test
  void aWrongCurrentPasswordIsShownAtThatFieldAndAGoodChangeWorks() {
    TenantAdmin a = newTenant("Rotator");
    signIn(a.email());
    AccountView view = navigate(AccountView.class);
    test(view.current).setValue("not-my-password");
    test(view.fresh).setValue("harbour-violet-candle-88");
    test(view.repeat).setValue("harbour-violet-candle-88");
    test(view.change).click();
    assertThat(view.current.isInvalid()).isTrue();

    test(view.current).setValue(PASSWORD);
    test(view.change).click();
    assertThat(view.current.isInvalid()).isFalse();
    assertThat(notificationText()).contains("Password changed");
  }

  @Test
  void theActivityLogShowsTheTenantsOwnLinesOnly() {
    TenantAdmin a = newTenant("Logged A");
    TenantAdmin b = newTenant("Logged B");
    networks.createVmNetwork(a.caller(), a.tenant().id(), "alpha-net");
    networks.createVmNetwork(b.caller(), b.tenant().id(), "bravo-net");
    signIn(a.email());
    ActivityView view = navigate(ActivityView.class);
    var rows = view.grid.getLazyDataView().getItems().toList();
    assertThat(rows)
        .anyMatch(e -> e.action().equals("vmnetwork.create") || e.action().contains("create"));
    assertThat(rows).allMatch(e -> a.tenant().id().value().toString().equals(e.tenantId()));
    assertThat(view.grid.getDataProvider().isInMemory()).as("rows are read lazily").isFalse();
    assertThat(rows.getLast().action())
        .as("scrolling reaches the oldest line")
        .isEqualTo("tenant.signup");
    test(view.filter).setValue("no-such-thing-xyz");
    assertThat(test(view.grid).size()).isZero();
    test(view.filter).setValue("ALPHA-NET");
    assertThat(view.grid.getLazyDataView().getItems())
        .as("the filter runs in the database, in any case")
        .isNotEmpty()
        .allMatch(e -> e.target().contains("alpha-net"));
  }

  @Test
  void theDashboardShowsCountsQuotaUseAndSubnetUtilisation() {
    TenantAdmin a = newTenant("Dash");
    var net = networks.createVmNetwork(a.caller(), a.tenant().id(), "n1");
    networks.createSubnet(
        a.caller(),
        a.tenant().id(),
        net.id(),
        new io.weft.fabric.NewSubnet("s1", "10.7.0.0/24", null, java.util.List.of()));
    signIn(a.email());
    navigate(io.weft.portal.ui.HomeView.class);
    assertThat($(com.vaadin.flow.component.html.Span.class).all())
        .anyMatch(s -> s.getText().startsWith("s1 · 10.7.0.0/24"));
    assertThat($(com.vaadin.flow.component.progressbar.ProgressBar.class).all())
        .hasSizeGreaterThanOrEqualTo(5);
    assertThat($(com.vaadin.flow.component.grid.Grid.class).id("recent-activity")).isNotNull();
  }
}
