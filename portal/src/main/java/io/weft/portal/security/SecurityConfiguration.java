package io.weft.portal.security;

import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import io.weft.fabric.identity.ApiTokenService;
import io.weft.portal.ui.LoginView;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authorization.AuthorizationEventPublisher;
import org.springframework.security.authorization.SpringAuthorizationEventPublisher;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;

/**
 * Two filter chains: scripts and monitoring use the stateless API chain with HTTP Basic; browsers
 * use Vaadin's chain with a login view and a session.
 *
 * <p>Both throttle password guessing ({@link LoginThrottle}). The browser chain also demands the
 * CSRF token on the login POST ({@link LoginCsrfFilter}), ends sessions whose password changed
 * ({@link SessionStampFilter}), and keeps Spring's default of a new session id at sign-in.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  @Bean
  @Order(1)
  SecurityFilterChain apiChain(
      HttpSecurity http,
      ApiTokenService tokens,
      LoginThrottle throttle,
      SecurityContextHolderStrategy contexts)
      throws Exception {
    http.addFilterBefore(
            new ApiTokenAuthenticationFilter(tokens, contexts), BasicAuthenticationFilter.class)
        .addFilterBefore(
            LoginThrottleFilter.forHttpBasic(throttle), BasicAuthenticationFilter.class)
        .securityMatcher("/api/**", "/actuator/**")
        .authorizeHttpRequests(auth ->
            auth.requestMatchers("/actuator/health", "/actuator/health/**")
                .permitAll()
                .requestMatchers("/actuator/**")
                .hasRole("OPERATOR")
                .requestMatchers("/api/v1/signup")
                .permitAll()
                .anyRequest()
                .authenticated())
        .httpBasic(Customizer.withDefaults())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(csrf -> csrf.disable());
    return http.build();
  }

  @Bean
  @Order(2)
  SecurityFilterChain uiChain(
      HttpSecurity http,
      LoginThrottle throttle,
      CredentialStamps stamps,
      SecurityEvents events,
      SecurityContextHolderStrategy contexts)
      throws Exception {
    var csrfTokens = new HttpSessionCsrfTokenRepository();
    var csrfHandler = new XorCsrfTokenRequestAttributeHandler();
    http.csrf(csrf -> csrf.csrfTokenRepository(csrfTokens).csrfTokenRequestHandler(csrfHandler));
    http.authorizeHttpRequests(auth ->
        auth.requestMatchers(
                "/error", "/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html", "/signup")
            .permitAll());
    http.addFilterAfter(new LoginCsrfFilter(csrfTokens, csrfHandler, events), CsrfFilter.class);
    http.addFilterBefore(
        LoginThrottleFilter.forFormLogin(throttle), UsernamePasswordAuthenticationFilter.class);
    http.addFilterBefore(
        new SessionStampFilter(stamps, events, contexts), AuthorizationFilter.class);
    http.sessionManagement(s -> s.sessionFixation(f -> f.changeSessionId()));
    http.with(VaadinSecurityConfigurer.vaadin(), vaadin -> vaadin.loginView(LoginView.class));
    return http.build();
  }

  /** Publishes refused requests as events, which {@link SecurityEvents} writes to the audit log. */
  @Bean
  AuthorizationEventPublisher authorizationEventPublisher(ApplicationEventPublisher publisher) {
    return new SpringAuthorizationEventPublisher(publisher);
  }
}
