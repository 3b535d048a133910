package io.weft.portal.security;

import io.weft.fabric.SecurityAuditLog;
import io.weft.fabric.TenantId;
import io.weft.fabric.identity.Account;
import io.weft.fabric.identity.AccountService;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.authorization.event.AuthorizationDeniedEvent;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Turns Spring Security's events into the throttle's counts and lines of the audit log: sign-ins,
 * failed sign-ins, refused access, password changes and sessions ended by one. An audit line of a
 * tenant user carries the tenant, so the tenant's admins see it in their activity log.
 */
@Component
public class SecurityEvents {

  private static final Logger log = LoggerFactory.getLogger(SecurityEvents.class);

  private final SecurityAuditLog audit;
  private final AccountService accounts;
  private final LoginThrottle throttle;
  private final CredentialStamps stamps;

  SecurityEvents(
      SecurityAuditLog audit,
      AccountService accounts,
      LoginThrottle throttle,
      CredentialStamps stamps) {
    this.audit = audit;
    this.accounts = accounts;
    this.throttle = throttle;
    this.stamps = stamps;
  }

  @EventListener
  void failed(AbstractAuthenticationFailureEvent event) {
    Authentication attempt = event.getAuthentication();
    String username = attempt.getName();
    String address = ClientAddress.of(attempt);
    Duration wait = throttle.failed(username, address);
    String detail =
        "from "
            + address
            + (wait.isZero() ? "" : "; next attempt allowed in " + wait.toSeconds() + " s");
    write(username, "login.failed", path(), "REFUSED", detail);
  }

  @EventListener
  void succeeded(AuthenticationSuccessEvent event) {
    Authentication authentication = event.getAuthentication();
    String address = ClientAddress.of(authentication);
    throttle.succeeded(authentication.getName(), address);
    HttpServletRequest request = request();
    // HTTP Basic authenticates every API call: only the browser's sign-in is an event worth a line.
    if (request != null && isFormLogin(request)) {
      stamps.remember(request.getSession(), authentication.getName());
      write(authentication.getName(), "login", null, "OK", "from " + address);
    }
  }

  @EventListener
  void denied(AuthorizationDeniedEvent<?> event) {
    Authentication who = event.getAuthentication().get();
    if (who == null || who instanceof AnonymousAuthenticationToken) {
      return; // not signed in yet: they are sent to the login page, nothing was refused
    }
    write(who.getName(), "access.denied", path(), "REFUSED", null);
  }

  /** A signed-in user was refused something by the portal or the fabric. */
  public void accessDenied(String username, String what) {
    write(username, "access.denied", what, "REFUSED", null);
  }

  public void passwordChanged(String username) {
    write(username, "password.change", null, "OK", "other sessions signed out");
  }

  void loginWithoutCsrfToken(String username, String address) {
    write(username == null ? "" : username, "login.csrf", "/login", "REFUSED", "from " + address);
  }

  void sessionEnded(String username, String address) {
    write(username, "session.ended", null, "OK", "credentials changed; from " + address);
  }

  private void write(String username, String action, String target, String result, String detail) {
    try {
      TenantId tenant =
          accounts
              .findByUsername(username)
              .flatMap(Account::tenantId)
              .map(TenantId::new)
              .orElse(null);
      audit.record(username, tenant, action, target, result, detail);
    } catch (RuntimeException e) {
      // An audit write must never turn a sign-in into an error page.
      log.warn("could not write security event {} for {}", action, username, e);
    }
  }

  private static boolean isFormLogin(HttpServletRequest request) {
    return "POST".equals(request.getMethod())
        && (request.getContextPath() + "/login").equals(request.getRequestURI());
  }

  private static String path() {
    HttpServletRequest request = request();
    return request == null ? null : request.getMethod() + " " + request.getRequestURI();
  }

  private static HttpServletRequest request() {
    return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes a
        ? a.getRequest()
        : null;
  }
}
