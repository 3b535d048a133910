package io.weft.portal.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * The address a request came from, as the servlet container reports it. Behind a proxy, set {@code
 * server.forward-headers-strategy=native} so that this is the client rather than the proxy.
 */
final class ClientAddress {

  private ClientAddress() {}

  static String of(HttpServletRequest request) {
    return request.getRemoteAddr();
  }

  static String of(Authentication authentication) {
    if (authentication != null
        && authentication.getDetails() instanceof WebAuthenticationDetails details) {
      return details.getRemoteAddress();
    }
    return "";
  }
}
