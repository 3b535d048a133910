package io.weft.portal.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Optional;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ends a browser session whose credentials changed since it signed in (see {@link
 * CredentialStamps}). The request then goes on as anonymous: a page load is sent to the login page,
 * and Vaadin answers a request from an open page with "session expired", which reloads to the login
 * page.
 */
class SessionStampFilter extends OncePerRequestFilter {

  private final CredentialStamps stamps;
  private final SecurityEvents events;
  private final SecurityContextHolderStrategy contexts;

  SessionStampFilter(
      CredentialStamps stamps, SecurityEvents events, SecurityContextHolderStrategy contexts) {
    this.stamps = stamps;
    this.events = events;
    this.contexts = contexts;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Authentication authentication = contexts.getContext().getAuthentication();
    HttpSession session = request.getSession(false);
    if (session != null
        && authentication != null
        && authentication.isAuthenticated()
        && !(authentication instanceof AnonymousAuthenticationToken)) {
      Optional<String> current = stamps.current(authentication.getName());
      Object remembered = session.getAttribute(CredentialStamps.SESSION_ATTRIBUTE);
      if (current.isEmpty() || (remembered != null && !remembered.equals(current.get()))) {
        events.sessionEnded(authentication.getName(), ClientAddress.of(request));
        session.invalidate();
        contexts.clearContext();
        if ("GET".equals(request.getMethod()) && request.getParameter("v-r") == null) {
          response.sendRedirect(request.getContextPath() + "/login?signedout");
          return;
        }
      } else if (remembered == null) {
        session.setAttribute(CredentialStamps.SESSION_ATTRIBUTE, current.get());
      }
    }
    chain.doFilter(request, response);
  }
}
