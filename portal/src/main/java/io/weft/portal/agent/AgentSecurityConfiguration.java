package io.weft.portal.agent;

import io.weft.fabric.HostService;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * The agents' own filter chain, ahead of the API and UI chains: host bearer tokens only, no
 * sessions, no CSRF (no browser is involved), errors as problem+json. People's credentials never
 * authenticate here, so a tenant or operator gets 401.
 */
@Configuration(proxyBeanMethods = false)
class AgentSecurityConfiguration {

  @Bean
  @Order(0)
  SecurityFilterChain agentChain(
      HttpSecurity http, HostService hosts, SecurityContextHolderStrategy contexts)
      throws Exception {
    http.securityMatcher("/api/v1/agent/**")
        .addFilterBefore(new AgentTokenFilter(hosts, contexts), AnonymousAuthenticationFilter.class)
        .authorizeHttpRequests(auth -> auth.anyRequest().hasRole(AgentAuthentication.ROLE))
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(csrf -> csrf.disable())
        .requestCache(cache -> cache.disable())
        .exceptionHandling(e ->
            e.authenticationEntryPoint((request, response, ex) ->
                    problem(
                        response,
                        401,
                        "Unauthorized",
                        "send Authorization: Bearer <host agent token>"))
                .accessDeniedHandler((request, response, ex) ->
                    problem(response, 403, "Forbidden", "only host agents may call this")));
    return http.build();
  }

  private static void problem(HttpServletResponse response, int status, String title, String detail)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/problem+json");
    if (status == 401) {
      response.setHeader("WWW-Authenticate", "Bearer realm=\"weft-agent\"");
    }
    response
        .getWriter()
        .write(
            "{\"type\":\"about:blank\",\"title\":\""
                + title
                + "\",\"status\":"
                + status
                + ",\"detail\":\""
                + detail
                + "\"}");
  }
}
