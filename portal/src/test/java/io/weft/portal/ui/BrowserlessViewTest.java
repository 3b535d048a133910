package io.weft.portal.ui;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.notification.Notification;
import io.weft.fabric.Caller;
import io.weft.fabric.HostService;
import io.weft.fabric.HostState;
import io.weft.fabric.NewHost;
import io.weft.fabric.NewLogicalNetwork;
import io.weft.fabric.SignupRequest;
import io.weft.fabric.Tenant;
import io.weft.fabric.TenantService;
import io.weft.fabric.identity.Account;
import io.weft.fabric.identity.AccountService;
import io.weft.portal.H2ApplicationTest;
import io.weft.portal.api.CallerResolver;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

/**
 * Views without a browser, on the whole application (in-memory H2, shared context): each test signs
 * up its own tenant so tests never see each other's objects.
 */
@H2ApplicationTest
public abstract class BrowserlessViewTest extends SpringBrowserlessTest {

  public static final String PASSWORD = "amber-river-falcon-19";

  @Autowired protected TenantService tenants;
  @Autowired protected AccountService accounts;
  @Autowired protected HostService hosts;
  @Autowired SecurityContextHolderStrategy contexts;

  /** A freshly signed-up tenant and its admin. */
  public record TenantAdmin(String email, Tenant tenant, Caller caller) {}

  protected TenantAdmin newTenant(String organisation) {
    String email = "admin-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    Tenant tenant = tenants.signup(new SignupRequest(organisation, email, PASSWORD));
    return new TenantAdmin(email, tenant, caller(email));
  }

  protected Caller caller(String username) {
    return CallerResolver.caller(accounts.findByUsername(username).orElseThrow());
  }

  protected Caller operator() {
    return caller("admin");
  }

  /** Signs in as the user, as the login form would have. */
  protected void signIn(String username) {
    Account account = accounts.findByUsername(username).orElseThrow();
    var authentication =
        UsernamePasswordAuthenticationToken.authenticated(
            account.username(),
            null,
            List.of(new SimpleGrantedAuthority(account.role().authority())));
    SecurityContextHolder.getContext().setAuthentication(authentication);
    // The application's own strategy (Vaadin's) is normally the static one; not when another
    // application in this JVM (OperatorBootstrapTest) installed its own since.
    contexts.getContext().setAuthentication(authentication);
  }

  @AfterEach
  void signOut() {
    SecurityContextHolder.clearContext();
    contexts.clearContext();
  }

  /**
   * A ready host, so that VMs are placed: the application's simulated hosts when they are up (give
   * them a few seconds after start), else two registered here.
   */
  protected void ensureReadyHost() {
    Caller op = operator();
    for (int i = 0; i < 30; i++) {
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
    var network =
        hosts.listLogicalNetworks(op).stream()
            .findFirst()
            .orElseGet(() ->
                hosts.createLogicalNetwork(
                    op, new NewLogicalNetwork("test-site", "192.168.200.0/24", "NVGRE", 1500)));
    for (int i = 1; i <= 2; i++) {
      var host =
          hosts.registerHost(
              op, new NewHost("test-host-" + i, network.id().value().toString(), null, 50));
      hosts.setHostState(op, host.host().id(), HostState.READY);
    }
  }

  protected String notificationText() {
    return $(Notification.class).all().stream()
        .map(n -> test(n).getText())
        .reduce("", (a, b) -> a + "\n" + b);
  }
}
