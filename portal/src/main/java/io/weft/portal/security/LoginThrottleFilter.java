package io.weft.portal.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a sign-in attempt, without checking the password, while {@link LoginThrottle} says this
 * user name from this address must still wait. The browser's login form is sent back to the login
 * page with the wait; an HTTP Basic API call is answered 429 with {@code Retry-After}.
 */
class LoginThrottleFilter extends OncePerRequestFilter {

  private final LoginThrottle throttle;
  private final boolean basic;

  private LoginThrottleFilter(LoginThrottle throttle, boolean basic) {
    this.throttle = throttle;
    this.basic = basic;
  }

  /** For the browser's form login: POST /login with a {@code username} parameter. */
  static LoginThrottleFilter forFormLogin(LoginThrottle throttle) {
    return new LoginThrottleFilter(throttle, false);
  }

  /** For the API's HTTP Basic authentication. */
  static LoginThrottleFilter forHttpBasic(LoginThrottle throttle) {
    return new LoginThrottleFilter(throttle, true);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String username = basic ? basicUsername(request) : formUsername(request);
    if (username == null) {
      chain.doFilter(request, response);
      return;
    }
    Duration wait = throttle.waitFor(username, ClientAddress.of(request));
    if (wait.isZero()) {
      chain.doFilter(request, response);
      return;
    }
    long seconds = Math.max(1, wait.toSeconds() + (wait.toMillisPart() > 0 ? 1 : 0));
    if (basic) {
      response.setStatus(429);
      response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
      response.setContentType("application/problem+json");
      response
          .getWriter()
          .write(
              "{\"title\":\"Too Many Requests\",\"status\":429,\"detail\":\"too many failed"
                  + " sign-in attempts; retry after "
                  + seconds
                  + " seconds\"}");
    } else {
      response.sendRedirect(request.getContextPath() + "/login?throttled=" + seconds);
    }
  }

  private static String formUsername(HttpServletRequest request) {
    if (!"POST".equals(request.getMethod())
        || !(request.getContextPath() + "/login").equals(request.getRequestURI())) {
      return null;
    }
    return request.getParameter("username");
  }

  private static String basicUsername(HttpServletRequest request) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    try {
      String decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0 ? null : decoded.substring(0, colon);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
