package io.weft.portal.agent;

import io.weft.fabric.HostService;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <host token>}. Anything else (no header, a wrong
 * token, a person's Basic credentials) leaves the request anonymous, which the chain answers 401.
 * Not a bean, so Boot never registers it as a servlet filter for every path.
 */
final class AgentTokenFilter extends OncePerRequestFilter {

  private static final String PREFIX = "Bearer ";

  private final HostService hosts;
  // The application's own strategy, not the static holder: Vaadin swaps the static one per context.
  private final SecurityContextHolderStrategy contexts;

  AgentTokenFilter(HostService hosts, SecurityContextHolderStrategy contexts) {
    this.hosts = hosts;
    this.contexts = contexts;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      String token = header.substring(PREFIX.length()).strip();
      hosts
          .authenticateAgent(token)
          .ifPresent(host -> {
            var context = contexts.createEmptyContext();
            context.setAuthentication(new AgentAuthentication(host));
            contexts.setContext(context);
          });
    }
    chain.doFilter(request, response);
  }
}
