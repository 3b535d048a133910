package io.weft.portal.api;

import java.time.Clock;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

@Configuration(proxyBeanMethods = false)
class IdempotencyConfiguration {

  /** Ordered after Spring Security's chain (-100), so the caller is known when keys are scoped. */
  @Bean
  FilterRegistrationBean<IdempotencyKeyFilter> idempotencyKeyFilter(
      JdbcClient jdbc, Clock clock, SecurityContextHolderStrategy contexts) {
    FilterRegistrationBean<IdempotencyKeyFilter> registration =
        new FilterRegistrationBean<>(new IdempotencyKeyFilter(jdbc, clock, contexts));
    registration.addUrlPatterns("/api/v1/*");
    registration.setOrder(0);
    return registration;
  }
}
