package io.weft.portal.security;

import io.weft.fabric.identity.Account;
import io.weft.fabric.identity.ApiTokenService;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer weft-token-...} with a personal API token. A token
 * that is presented but unknown is answered 401 at once rather than falling through to anonymous.
 */
class ApiTokenAuthenticationFilter extends OncePerRequestFilter {

  private static final String BEARER = "Bearer ";

  private final ApiTokenService tokens;
  private final SecurityContextHolderStrategy contexts;

  /**
   * @param contexts the application's strategy (Vaadin's), the one Spring Security's own filters
   *     use; the static holder may belong to another application in the same JVM (tests)
   */
  ApiTokenAuthenticationFilter(ApiTokenService tokens, SecurityContextHolderStrategy contexts) {
    this.tokens = tokens;
    this.contexts = contexts;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.startsWith(BEARER)) {
      chain.doFilter(request, response);
      return;
    }
    Optional<Account> account = tokens.authenticate(header.substring(BEARER.length()).strip());
    if (account.isEmpty()) {
      response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
      response.setContentType("application/problem+json");
      response
          .getWriter()
          .write(
              "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"unknown or revoked API token\"}");
      return;
    }
    Account a = account.get();
    var authentication =
        UsernamePasswordAuthenticationToken.authenticated(
            a.username(), null, List.of(new SimpleGrantedAuthority(a.role().authority())));
    var context = contexts.createEmptyContext();
    context.setAuthentication(authentication);
    contexts.setContext(context);
    chain.doFilter(request, response);
  }
}
