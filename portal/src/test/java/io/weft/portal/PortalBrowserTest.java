package io.weft.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.AddressRange;
import io.weft.fabric.Caller;
import io.weft.fabric.HostService;
import io.weft.fabric.HostState;
import io.weft.fabric.NetworkService;
import io.weft.fabric.NewDhcpRange;
import io.weft.fabric.NewHost;
import io.weft.fabric.NewLogicalNetwork;
import io.weft.fabric.NewSubnet;
import io.weft.fabric.NewVm;
import io.weft.fabric.NewVnic;
import io.weft.fabric.SignupRequest;
import io.weft.fabric.Tenant;
import io.weft.fabric.TenantService;
import io.weft.fabric.Vm;
import io.weft.fabric.VmService;
import io.weft.fabric.Vnic;
import io.weft.fabric.identity.AccountService;
import io.weft.portal.api.CallerResolver;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The portal's main paths in a real chromium at 1280×800: a tenant signs up and builds a network,
 * an operator finds it, another tenant cannot reach it. Each step saves a screenshot.
 */
@H2ApplicationTest
class PortalBrowserTest {

  static final String PASSWORD = "silver-otter-meadow-31";

  @LocalServerPort int port;
  @Autowired TenantService tenants;
  @Autowired NetworkService networks;
  @Autowired VmService vms;
  @Autowired HostService hosts;
  @Autowired AccountService accounts;

  @BeforeEach
  void aReadyHostExists() {
    Caller op = CallerResolver.caller(accounts.findByUsername("admin").orElseThrow());
    for (int i = 0; i < 30; i++) { // the simulated hosts come up a few seconds after start
      if (hosts.listHosts(op).stream().anyMatch(h -> h.state() == HostState.READY)) {
        return;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    var ln =
        hosts.listLogicalNetworks(op).stream()
            .findFirst()
            .orElseGet(() ->
                hosts.createLogicalNetwork(
                    op, new NewLogicalNetwork("e2e-site", "192.168.77.0/24", null, null)));
    for (int i = 1; i <= 2; i++) {
      var h =
          hosts.registerHost(
              op, new NewHost("e2e-host-" + i, ln.id().value().toString(), null, 40));
      hosts.setHostState(op, h.host().id(), HostState.READY);
    }
  }

  @Test
  void aNewTenantSignsUpRunsTheWizardAddsASubnetWithDhcpAndTwoVmsAndSeesTheirAddresses() {
    String email = "e2e-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    try (BrowserSession browser = BrowserSession.open(port)) {
      browser.go("/signup");
      type(browser, "signup-organization", "Acme Hosting");
      type(browser, "signup-email", email);
      type(browser, "signup-password", PASSWORD);
      type(browser, "signup-confirm", PASSWORD);
      browser.screenshot("tenant-01-signup");
      browser.waitFor(By.id("signup-create")).click();

      browser.waitForText(By.id("login-notice"), "Your organisation is ready");
      browser.screenshot("tenant-02-login-after-signup");
      signIn(browser, email, PASSWORD);

      browser.waitForText(By.id("wizard-step"), "Step 1 of 2");
      browser.screenshot("tenant-03-wizard-network");
      browser.waitFor(By.id("wizard-next")).click();
      browser.waitForText(By.id("wizard-step"), "Step 2 of 2");
      browser.screenshot("tenant-04-wizard-subnet");
      browser.waitFor(By.id("wizard-next")).click();
      browser.waitForText(By.id("wizard-summary"), "10.0.0.0/24");
      browser.screenshot("tenant-05-wizard-done");

      browser.waitFor(By.id("wizard-open-network")).click();
      browser.waitFor(By.id("add-subnet")).click();
      type(browser, "subnet-name", "web");
      type(browser, "subnet-cidr", "10.0.1.0/24");
      browser.screenshot("tenant-06-add-subnet");
      browser.waitFor(By.id("subnet-save")).click();
      browser.waitForText(By.id("dhcp-section"), "web");
      waitForValue(browser, "dhcp-start", "10.0.1.100");
      browser.waitFor(By.id("dhcp-add")).click();
      browser.waitForText(By.id("dhcp-grid"), "10.0.1.199");
      browser.screenshot("tenant-07-network-with-second-subnet");

      browser.go("/vms");
      browser.waitFor(By.id("no-vms"));
      browser.screenshot("tenant-08-vms-empty");
      createVm(browser, "web-1", "Production / web (10.0.1.0/24)");
      createVm(browser, "web-2", "Production / web (10.0.1.0/24)");
      browser.waitForText(By.id("vms-grid"), "web-2");

      Tenant tenant = tenants.list(caller(email)).getFirst();
      handOutAddressesIfNoDataPlaneDid(tenant, email);
      browser.waitForText(By.id("vms-grid"), "10.0.1.100");
      browser.waitForText(By.id("vms-grid"), "10.0.1.101");
      assertThat(browser.driver().getCurrentUrl()).endsWith("/vms");
      browser.screenshot("tenant-09-vms-with-dhcp-addresses");

      browser.go("/topology");
      browser.waitFor(By.cssSelector("#topology svg"));
      browser.screenshot("tenant-10-topology");
      browser.go("/");
      browser.waitFor(By.id("stat-vms"));
      browser.screenshot("tenant-11-dashboard");
      browser.go("/account");
      browser.waitFor(By.id("change-password"));
      browser.screenshot("tenant-12-account");
    }
  }

  @Test
  void anOperatorSeesTheTenantItsVmsAndTheirHosts() {
    Fixture a = tenantWithVm("Operator View Co");
    try (BrowserSession browser = BrowserSession.open(port)) {
      browser.go("/login");
      signIn(browser, "admin", H2ApplicationTest.ADMIN_PASSWORD);
      browser.waitFor(By.id("stat-tenants"));
      browser.screenshot("operator-01-dashboard");
      browser.go("/operator/tenants");
      browser.waitForText(By.id("tenants-grid"), "Operator View Co");
      browser.screenshot("operator-02-tenants");
      browser.go("/operator/vms?tenant=" + a.tenant().id().value());
      browser.waitForText(By.id("all-vms-grid"), "app-1");
      String host = a.vmHost();
      browser.waitForText(By.id("all-vms-grid"), host);
      browser.screenshot("operator-03-vms-with-placement");
      browser.go("/operator/hosts");
      browser.waitForText(By.id("hosts-grid"), host);
      browser.screenshot("operator-04-hosts");
      browser.go("/activity");
      browser.waitForText(By.id("activity-grid"), "login");
      browser.screenshot("operator-05-audit");
    }
  }

  @Test
  void tenantBOpeningTenantAsNetworkByUrlGetsNotFound() {
    Fixture a = tenantWithVm("Tenant A");
    Fixture b = tenantWithVm("Tenant B");
    try (BrowserSession browser = BrowserSession.open(port)) {
      browser.go("/login");
      signIn(browser, b.email(), PASSWORD);
      browser.waitFor(By.id("home-title"));
      browser.go("/network/" + a.networkId());
      browser.waitForText(By.id("not-found"), "VM network not found");
      assertThat(browser.driver().getPageSource()).doesNotContain("secret-net-of-a");
      browser.screenshot("tenant-b-not-found");
    }
  }

  record Fixture(String email, Tenant tenant, String networkId, Vm vm, VmService vms, Caller op) {
    String vmHost() {
      return vms.listAllVms(op).stream()
          .filter(v -> v.id().equals(vm.id()))
          .findFirst()
          .orElseThrow()
          .placement()
          .orElseThrow()
          .hostName();
    }
  }

  private Fixture tenantWithVm(String organisation) {
    String email = "e2e-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    Tenant t = tenants.signup(new SignupRequest(organisation, email, PASSWORD));
    Caller c = caller(email);
    var net =
        networks.createVmNetwork(
            c,
            t.id(),
            "secret-net-of-" + organisation.substring(organisation.length() - 1).toLowerCase());
    var s =
        networks.createSubnet(
            c,
            t.id(),
            net.id(),
            new NewSubnet(
                "s", "10.0.0.0/24", new AddressRange("10.0.0.10", "10.0.0.50"), List.of()));
    networks.addDhcpRange(
        c, t.id(), s.id(), new NewDhcpRange("10.0.0.100", "10.0.0.199", null, null));
    Vm vm =
        vms.createVm(
            c,
            t.id(),
            new NewVm("app-1", List.of(new NewVnic(s.id().value().toString(), "STATIC", null))));
    return new Fixture(
        email,
        t,
        net.id().value().toString(),
        vm,
        vms,
        CallerResolver.caller(accounts.findByUsername("admin").orElseThrow()));
  }

  private Caller caller(String username) {
    return CallerResolver.caller(accounts.findByUsername(username).orElseThrow());
  }

  /**
   * With the data plane's simulated hosts the VMs' DHCP clients get their addresses by themselves;
   * without them the test plays the DHCP responder. Either way the page must show them unreloaded.
   */
  private void handOutAddressesIfNoDataPlaneDid(Tenant tenant, String email) {
    try {
      Thread.sleep(3000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Caller op = CallerResolver.caller(accounts.findByUsername("admin").orElseThrow());
    for (Vm vm : vms.listAllVms(op)) {
      if (!vm.tenantId().equals(tenant.id())) {
        continue;
      }
      for (Vnic n : vm.nics()) {
        if (n.address() == null && vm.placement().isPresent()) {
          vms.leaseDhcpAddress(vm.placement().get().hostId(), n.id());
        }
      }
    }
  }

  static void signIn(BrowserSession browser, String user, String password) {
    WebElement form = browser.waitFor(By.tagName("vaadin-login-form"));
    form.findElement(By.cssSelector("input[name='username']")).sendKeys(user);
    form.findElement(By.cssSelector("input[name='password']")).sendKeys(password);
    form.findElement(By.cssSelector("vaadin-button[slot='submit']")).click();
  }

  private static void type(BrowserSession browser, String id, String text) {
    WebElement input = browser.waitFor(By.cssSelector("#" + id + " input"));
    input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    input.sendKeys(text);
  }

  private static void waitForValue(BrowserSession browser, String id, String value) {
    new WebDriverWait(browser.driver(), Duration.ofSeconds(20))
        .until(d ->
            value.equals(
                d.findElement(By.cssSelector("#" + id + " input")).getDomProperty("value")));
  }

  private static void createVm(BrowserSession browser, String name, String subnetLabel) {
    browser.waitFor(By.id("create-vm")).click();
    type(browser, "vm-name", name);
    WebElement subnet = browser.waitFor(By.cssSelector("#vnic-subnet-0 input"));
    subnet.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    subnet.sendKeys(subnetLabel);
    subnet.sendKeys(Keys.ENTER);
    browser.waitFor(By.id("vm-save")).click();
    browser.waitForText(By.id("vms-grid"), name);
  }
}
