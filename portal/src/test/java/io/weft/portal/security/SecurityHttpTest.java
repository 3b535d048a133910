package io.weft.portal.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.AuditEntry;
import io.weft.fabric.AuditLog;
import io.weft.fabric.SignupRequest;
import io.weft.fabric.TenantService;
import io.weft.fabric.identity.AccountService;
import io.weft.portal.H2ApplicationTest;
import io.weft.portal.api.CallerResolver;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;

/** The browser chain's and API chain's security measures, over real HTTP against the app. */
@H2ApplicationTest
class SecurityHttpTest {

  static final String PASSWORD = "violet-harbour-lantern-42";

  @LocalServerPort int port;
  @Autowired TenantService tenants;
  @Autowired AccountService accounts;
  @Autowired AuditLog audit;
  @Autowired Environment environment;

  @Test
  void aLoginPostWithoutTheCsrfTokenIsRefusedSoNoSiteCanSignAVictimIntoItsAccount() {
    WebClient victim = new WebClient(port);
    victim.get("/login");
    HttpResponse<String> forged = victim.postLogin("admin", H2ApplicationTest.ADMIN_PASSWORD, null);
    assertThat(forged.statusCode()).isEqualTo(302);
    assertThat(forged.headers().firstValue("Location").orElse("")).contains("/login?error");
    assertThat(victim.get("/").headers().firstValue("Location").orElse(""))
        .as("still not signed in")
        .contains("/login");
    assertThat(lines("admin")).anyMatch(e -> e.action().equals("login.csrf"));
  }

  @Test
  void signingInChangesTheSessionIdAndIsAudited() {
    WebClient browser = new WebClient(port);
    String csrf = browser.csrfTokenFromLoginPage();
    String before = browser.sessionId();
    assertThat(before).isNotNull();
    HttpResponse<String> login = browser.postLogin("admin", H2ApplicationTest.ADMIN_PASSWORD, csrf);
    assertThat(login.statusCode()).isEqualTo(302);
    assertThat(login.headers().firstValue("Location").orElse("")).doesNotContain("login");
    assertThat(browser.sessionId()).isNotNull().isNotEqualTo(before);
    assertThat(browser.get("/").statusCode()).isEqualTo(200);
    assertThat(lines("admin")).anyMatch(e -> e.action().equals("login") && e.result().equals("OK"));
  }

  @Test
  void fiveWrongPasswordsSlowTheNextAttemptDownAndEveryFailureIsInTheTenantsLog() {
    String user = signUp();
    WebClient api = new WebClient(port);
    for (int i = 0; i < 5; i++) {
      assertThat(api.get("/api/v1/me", user, "wrong-password-" + i).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> throttled = api.get("/api/v1/me", user, PASSWORD);
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
    assertThat(lines(user).stream().filter(e -> e.action().equals("login.failed"))).hasSize(5);
    assertThat(lines(user).stream().filter(e -> e.action().equals("login.failed")))
        .allMatch(e -> e.tenantId() != null);
  }

  @Test
  void aPasswordChangeSignsOutEveryOtherSession() {
    String user = signUp();
    WebClient browser = new WebClient(port);
    browser.postLogin(user, PASSWORD, browser.csrfTokenFromLoginPage());
    assertThat(browser.get("/").statusCode()).isEqualTo(200);

    WebClient script = new WebClient(port);
    String newPassword = "quiet-meadow-compass-77";
    assertThat(
            script
                .put(
                    "/api/v1/me/password",
                    user,
                    PASSWORD,
                    "{\"currentPassword\":\""
                        + PASSWORD
                        + "\",\"newPassword\":\""
                        + newPassword
                        + "\"}")
                .statusCode())
        .isEqualTo(204);

    HttpResponse<String> after = browser.get("/");
    assertThat(after.statusCode()).isEqualTo(302);
    assertThat(after.headers().firstValue("Location").orElse("")).contains("/login?signedout");
    assertThat(browser.get("/").headers().firstValue("Location").orElse("")).contains("/login");
    assertThat(lines(user)).anyMatch(e -> e.action().equals("session.ended"));
  }

  @Test
  void refusedAccessIsAudited() {
    String user = signUp();
    assertThat(new WebClient(port).get("/actuator/metrics", user, PASSWORD).statusCode())
        .isEqualTo(403);
    assertThat(lines(user))
        .anyMatch(e -> e.action().equals("access.denied") && e.target().contains("/actuator"));
  }

  @Test
  void sessionsTimeOutWhenIdleEvenWithATabOpen() {
    assertThat(environment.getProperty("server.servlet.session.timeout")).isEqualTo("30m");
    assertThat(environment.getProperty("vaadin.closeIdleSessions")).isEqualTo("true");
  }

  private String signUp() {
    String email = "sec-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    tenants.signup(new SignupRequest("Security " + email, email, PASSWORD));
    return email;
  }

  private List<AuditEntry> lines(String actor) {
    var operator = CallerResolver.caller(accounts.findByUsername("admin").orElseThrow());
    return audit.recent(operator, null, 1000).stream()
        .filter(e -> e.actor().equalsIgnoreCase(actor))
        .toList();
  }
}
