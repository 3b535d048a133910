package io.weft.portal.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestHandler;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Closes the login-CSRF hole: Vaadin's security configurer exempts the login page's path from
 * Spring's CSRF check (its own UIDL requests carry Vaadin's token instead), so a foreign site could
 * post a sign-in form and put a victim's browser into the attacker's account. The vaadin-login-form
 * already copies the {@code _csrf} meta tags Vaadin writes into the page into a hidden field, so a
 * real sign-in carries the token; this filter demands it on POST /login and sends a request without
 * a valid one back to the login page.
 */
class LoginCsrfFilter extends OncePerRequestFilter {

  private final CsrfTokenRepository tokens;
  private final CsrfTokenRequestHandler handler;
  private final SecurityEvents events;

  LoginCsrfFilter(
      CsrfTokenRepository tokens, CsrfTokenRequestHandler handler, SecurityEvents events) {
    this.tokens = tokens;
    this.handler = handler;
    this.events = events;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !"POST".equals(request.getMethod())
        || !(request.getContextPath() + "/login").equals(request.getRequestURI());
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    CsrfToken expected = tokens.loadToken(request);
    String actual = expected == null ? null : handler.resolveCsrfTokenValue(request, expected);
    if (actual == null || !equal(expected.getToken(), actual)) {
      events.loginWithoutCsrfToken(request.getParameter("username"), ClientAddress.of(request));
      response.sendRedirect(request.getContextPath() + "/login?error");
      return;
    }
    chain.doFilter(request, response);
  }

  private static boolean equal(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
