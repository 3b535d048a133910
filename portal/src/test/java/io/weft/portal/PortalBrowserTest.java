package io.weft.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.sim.SimulatedVm;
import io.weft.dataplane.table.IpAddress;
import io.weft.diagnostics.ConnectivityCheck;
import io.weft.diagnostics.ConnectivityRequest;
import io.weft.fabric.AddressRange;
import io.weft.fabric.Caller;
import io.weft.fabric.HostService;
import io.weft.fabric.HostState;
import io.weft.fabric.NetworkService;
import io.weft.fabric.NewDhcpRange;
import io.weft.fabric.NewSubnet;
import io.weft.fabric.NewVm;
import io.weft.fabric.NewVnic;
import io.weft.fabric.SignupRequest;
import io.weft.fabric.Tenant;
import io.weft.fabric.TenantService;
import io.weft.fabric.Vm;
import io.weft.fabric.VmService;
import io.weft.fabric.identity.AccountService;
import io.weft.portal.api.CallerResolver;
import io.weft.portal.simulation.SimulatedCloudRunner;
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
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The portal's main paths in a real chromium at 1280×800 on an application of its own with two
 * simulated hosts on the memory data plane: a tenant signs up and builds a network and its DHCP VMs
 * get their addresses from the simulated VMs' DHCP clients through the hosts' agents; an operator
 * finds the tenant, its VMs, their hosts with their agents' counters, and follows a live migration;
 * another tenant cannot reach the first one's network. Each step saves a screenshot.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:weft-portal-browser;DB_CLOSE_DELAY=-1",
      "weft.admin-password=" + H2ApplicationTest.ADMIN_PASSWORD,
      "weft.simulation.hosts=" + PortalBrowserTest.SIMULATED_HOSTS,
      "weft.home=target/portal-browser-test"
    })
class PortalBrowserTest {

  static final int SIMULATED_HOSTS = 2;

  static final String PASSWORD = "silver-otter-meadow-31";
  static final Duration SIMULATION_WAIT = Duration.ofSeconds(45);

  @LocalServerPort int port;
  @Autowired TenantService tenants;
  @Autowired NetworkService networks;
  @Autowired VmService vms;
  @Autowired HostService hosts;
  @Autowired AccountService accounts;
  @Autowired SimulatedCloudRunner simulation;
  @Autowired ConnectivityCheck connectivity;

  @BeforeEach
  void theSimulatedHostsAreReady() throws InterruptedException {
    Caller op = CallerResolver.caller(accounts.findByUsername("admin").orElseThrow());
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (readySimulatedHosts(op) < SIMULATED_HOSTS) {
      assertThat(System.nanoTime())
          .as("%d simulated hosts READY within 60 s", SIMULATED_HOSTS)
          .isLessThan(deadline);
      Thread.sleep(250);
    }
  }

  private long readySimulatedHosts(Caller op) {
    return hosts.listHosts(op).stream()
        .filter(h -> h.name().startsWith("sim-host-") && h.state() == HostState.READY)
        .count();
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

      // No reload: the page polls while a DHCP vNIC waits, and the simulated VMs' DHCP clients
      // get their addresses from the hosts' agents, which lease them from the fabric.
      browser.waitForText(By.id("vms-grid"), "10.0.1.100", SIMULATION_WAIT);
      browser.waitForText(By.id("vms-grid"), "10.0.1.101", SIMULATION_WAIT);
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
  void anOperatorSeesTheTenantItsVmsAndTheirHostsAndFollowsALiveMigration() {
    Fixture a = tenantWithVm("Operator View Co");
    Vm peer =
        vms.createVm(
            a.caller(),
            a.tenant().id(),
            new NewVm("app-2", List.of(new NewVnic(a.subnetId(), "STATIC", null))));
    exchangeTraffic(a.vm(), peer);
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

      // Live-migrate app-1 from the grid's first row (app-1 sorts before app-2).
      browser
          .waitFor(
              By.xpath("(//vaadin-button[normalize-space(.)='Migrate' and not(@disabled)])[1]"))
          .click();
      browser.waitFor(By.id("migrate-go")).click();
      new WebDriverWait(browser.driver(), Duration.ofSeconds(20))
          .until(d -> !a.vmHost().equals(host));

      browser.go("/operator/migrations?vm=" + a.vm().id());
      browser.waitForText(By.id("migrations-grid"), host + " → " + a.vmHost());
      // The page polls while the migration runs: the agents' reports complete it unreloaded.
      browser.waitForText(By.id("migrations-grid"), "Done", SIMULATION_WAIT);
      browser.waitForText(By.id("stale-window"), " ms", SIMULATION_WAIT);
      assertThat(browser.waitFor(By.id("stale-window")).getText()).matches("Stale window: \\d+ ms");
      browser.screenshot("operator-04-migration-timeline");
      browser.scrollTo(By.id("migration-steps"));
      browser.screenshot("operator-05-migration-steps");

      browser.go("/operator/hosts");
      browser.waitForText(By.id("hosts-grid"), host);
      browser.waitForText(By.id("hosts-grid"), "Matches");
      browser.screenshot("operator-06-hosts");

      browser.go("/operator/host/" + a.vmHostId());
      browser.waitForText(By.id("host-state"), "Match");
      browser.waitForText(By.id("host-ports"), "app-1");
      browser.screenshot("operator-07-host-detail");
      browser.scrollTo(By.id("host-ports"));
      browser.screenshot("operator-08-host-ports");

      browser.go("/activity");
      browser.waitForText(By.id("activity-grid"), "login");
      browser.screenshot("operator-09-audit");
    }
  }

  /**
   * Pings between two VMs of the fixture (and to an address nobody has) through the simulated data
   * plane, so the hosts' counters show forwarded, delivered and dropped traffic.
   */
  private void exchangeTraffic(Vm from, Vm to) {
    long deadline = System.nanoTime() + SIMULATION_WAIT.toNanos();
    while (!(alive(from) && alive(to))) {
      assertThat(System.nanoTime()).as("both simulated VMs alive").isLessThan(deadline);
      sleep(200);
    }
    SimulatedVm source = simulation.vm(from.nics().getFirst().id().toString()).orElseThrow();
    IpAddress target = simulation.vm(to.nics().getFirst().id().toString()).orElseThrow().address();
    boolean reached = false;
    for (int i = 0; i < 10; i++) {
      reached |= source.ping(target, Duration.ofSeconds(1)).join().success();
    }
    assertThat(reached).as("app-1 pings app-2 through the simulated data plane").isTrue();
    source.ping(IpAddress.parse("10.0.0.49"), Duration.ofMillis(300)).join();
  }

  private boolean alive(Vm vm) {
    return simulation
        .vm(vm.nics().getFirst().id().toString())
        .map(v -> v.address() != null)
        .orElse(false);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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

  @Test
  void aTenantAsksWhyTwoVmsCannotTalkAndSeesTheSentenceAndThePathAnotherTenantSeesNothing() {
    Fixture a = tenantWithVm("Tenant Probe A");
    Vm peer = peerOnAnotherHost(a, "secret-a-2");
    exchangeTraffic(a.vm(), peer);
    String from = a.vm().nics().getFirst().id().toString();
    String to = peer.nics().getFirst().address();
    // The hosts report what they applied a moment after placement: ask until all three agree.
    long deadline = System.nanoTime() + SIMULATION_WAIT.toNanos();
    while (!connectivity.check(a.caller(), ConnectivityRequest.ping(from, to)).works()) {
      assertThat(System.nanoTime()).as("the one answer says it works").isLessThan(deadline);
      sleep(250);
    }
    Fixture b = tenantWithVm("Tenant Probe B");
    try (BrowserSession browser = BrowserSession.open(port)) {
      browser.go("/login");
      signIn(browser, a.email(), PASSWORD);
      browser.waitFor(By.id("home-title"));
      browser.go("/diagnostics/connectivity");
      pick(browser, "connectivity-source", "app-1 · " + a.vm().nics().getFirst().address());
      pick(browser, "connectivity-destination", to);
      browser.screenshot("connectivity-01-form");
      browser.waitFor(By.id("connectivity-run")).click();
      browser.waitForText(By.id("connectivity-sentence"), "Works: " + to, SIMULATION_WAIT);
      assertThat(browser.waitFor(By.id("connectivity-sentence")).getText())
          .contains("answered the live probe in")
          .contains(" ms");
      List<WebElement> hops =
          browser.driver().findElements(By.cssSelector("#connectivity-path svg g.hop"));
      assertThat(hops).hasSize(4);
      assertThat(hops).allMatch(h -> "OK".equals(h.getDomAttribute("data-state")));
      String picture =
          browser.waitFor(By.cssSelector("#connectivity-path svg")).getDomProperty("outerHTML");
      assertThat(picture)
          .contains("source host")
          .contains("destination host")
          .contains("secret-a-2")
          .doesNotContain(a.vmHost())
          .doesNotContain("sim-host")
          .doesNotContain("192.168.100.");
      browser.screenshot("connectivity-02-works");
      browser.scrollTo(By.id("connectivity-hops"));
      browser.screenshot("connectivity-03-details");
    }
    try (BrowserSession browser = BrowserSession.open(port)) {
      browser.go("/login");
      signIn(browser, b.email(), PASSWORD);
      browser.waitFor(By.id("home-title"));
      browser.go("/diagnostics/connectivity");
      browser.waitFor(By.cssSelector("#connectivity-source input")).click();
      browser.waitFor(By.cssSelector("vaadin-combo-box-item"));
      assertThat(browser.driver().findElements(By.cssSelector("vaadin-combo-box-item")))
          .extracting(WebElement::getText)
          .isNotEmpty()
          .noneMatch(label -> label.contains("secret-a"));
      // A crafted address with A's vNIC: refused as unknown, nothing of A shown.
      browser.go("/diagnostics/connectivity?vnic=" + from + "&to=" + to);
      browser.waitForText(By.id("connectivity-source"), "No such vNIC");
      assertThat(browser.driver().findElements(By.cssSelector("#connectivity-path svg g.hop")))
          .isEmpty();
      assertThat(browser.driver().getPageSource()).doesNotContain("secret-a");
      browser.screenshot("connectivity-04-other-tenant");
    }
  }

  /** A second VM of the fixture's tenant on another simulated host than its first. */
  private Vm peerOnAnotherHost(Fixture a, String name) {
    String first = a.vmHost();
    for (int i = 0; i < 6; i++) {
      Vm vm =
          vms.createVm(
              a.caller(),
              a.tenant().id(),
              new NewVm(name, List.of(new NewVnic(a.subnetId(), "STATIC", null))));
      String host =
          vms.listAllVms(a.op()).stream()
              .filter(v -> v.id().equals(vm.id()))
              .findFirst()
              .flatMap(Vm::placement)
              .map(p -> p.hostName())
              .orElse(first);
      if (!host.equals(first)) {
        return vm;
      }
      vms.deleteVm(a.caller(), a.tenant().id(), vm.id());
    }
    throw new AssertionError("no VM landed on another host than " + first);
  }

  /** Types the label into a combo box and commits it with Enter. */
  private static void pick(BrowserSession browser, String id, String label) {
    WebElement input = browser.waitFor(By.cssSelector("#" + id + " input"));
    input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    input.sendKeys(label);
    input.sendKeys(Keys.ENTER);
  }

  record Fixture(
      String email,
      Caller caller,
      Tenant tenant,
      String networkId,
      String subnetId,
      Vm vm,
      VmService vms,
      Caller op) {
    String vmHost() {
      return vms.listAllVms(op).stream()
          .filter(v -> v.id().equals(vm.id()))
          .findFirst()
          .orElseThrow()
          .placement()
          .orElseThrow()
          .hostName();
    }

    String vmHostId() {
      return vms.listAllVms(op).stream()
          .filter(v -> v.id().equals(vm.id()))
          .findFirst()
          .orElseThrow()
          .placement()
          .orElseThrow()
          .hostId()
          .toString();
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
        c,
        t,
        net.id().value().toString(),
        s.id().value().toString(),
        vm,
        vms,
        CallerResolver.caller(accounts.findByUsername("admin").orElseThrow()));
  }

  private Caller caller(String username) {
    return CallerResolver.caller(accounts.findByUsername(username).orElseThrow());
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
