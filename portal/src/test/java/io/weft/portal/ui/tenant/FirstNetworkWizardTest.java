package io.weft.portal.ui.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.NetworkService;
import io.weft.portal.ui.BrowserlessViewTest;
import io.weft.portal.ui.HomeView;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class FirstNetworkWizardTest extends BrowserlessViewTest {

  @Autowired NetworkService networks;

  @Test
  void aNewTenantLandsInTheWizardWhichCreatesANetworkSubnetAndDhcpRangeOnDefaults() {
    TenantAdmin a = newTenant("Wizard Co");
    signIn(a.email());
    FirstNetworkWizard wizard = navigate("", FirstNetworkWizard.class);
    assertThat(wizard.cidr.getValue()).isEqualTo("10.0.0.0/24");
    assertThat(wizard.dhcpStart.getValue()).isEqualTo("10.0.0.100");
    assertThat(wizard.dhcpEnd.getValue()).isEqualTo("10.0.0.199");

    test(wizard.next).click();
    test(wizard.next).click();

    var nets = networks.listVmNetworks(a.caller(), a.tenant().id());
    assertThat(nets).extracting(n -> n.name()).containsExactly("Production");
    var subnets = networks.listSubnets(a.caller(), a.tenant().id(), nets.getFirst().id());
    assertThat(subnets).extracting(s -> s.cidr()).containsExactly("10.0.0.0/24");
    assertThat(networks.listDhcpRanges(a.caller(), a.tenant().id(), subnets.getFirst().id()))
        .extracting(r -> r.start() + "-" + r.end())
        .containsExactly("10.0.0.100-10.0.0.199");
    assertThat($(com.vaadin.flow.component.html.Paragraph.class).id("wizard-summary").getText())
        .contains("Production", "10.0.0.0/24", "gateway 10.0.0.1");
  }

  @Test
  void aBadCidrIsShownAtTheFieldAndTheRetryDoesNotCreateTheNetworkTwice() {
    TenantAdmin a = newTenant("Typo Ltd");
    signIn(a.email());
    FirstNetworkWizard wizard = navigate(FirstNetworkWizard.class);
    test(wizard.next).click();
    test(wizard.cidr).setValue("10.0.0.0/33");
    test(wizard.next).click();
    assertThat(wizard.cidr.isInvalid()).isTrue();
    assertThat(wizard.cidr.getErrorMessage()).isNotBlank();

    test(wizard.cidr).setValue("172.16.5.0/24");
    assertThat(wizard.dhcpStart.getValue()).isEqualTo("172.16.5.100");
    test(wizard.next).click();
    assertThat(networks.listVmNetworks(a.caller(), a.tenant().id())).hasSize(1);
  }

  @Test
  void skippingShowsTheDashboardInstead() {
    TenantAdmin a = newTenant("Skipper");
    signIn(a.email());
    FirstNetworkWizard wizard = navigate(FirstNetworkWizard.class);
    test(wizard.skip).click();
    assertThat(getCurrentView()).isInstanceOf(HomeView.class);
    assertThat($(com.vaadin.flow.component.html.Div.class).id("stat-vm-networks")).isNotNull();
  }

  @Test
  void suggestedDhcpRangesFitTheSubnet() {
    assertThat(Ipv4Defaults.dhcpRange("10.1.2.0/24"))
        .contains(new Ipv4Defaults.Range("10.1.2.100", "10.1.2.199"));
    assertThat(Ipv4Defaults.dhcpRange("10.1.0.0/16"))
        .contains(new Ipv4Defaults.Range("10.1.0.100", "10.1.0.199"));
    assertThat(Ipv4Defaults.dhcpRange("10.1.2.64/26"))
        .contains(new Ipv4Defaults.Range("10.1.2.96", "10.1.2.126"));
    assertThat(Ipv4Defaults.dhcpRange("fd00::/64")).isEmpty();
    assertThat(Ipv4Defaults.dhcpRange("nonsense")).isEmpty();
  }
}
