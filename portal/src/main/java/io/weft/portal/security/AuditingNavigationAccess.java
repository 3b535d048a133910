package io.weft.portal.security;

import com.vaadin.flow.server.auth.AccessCheckDecision;
import com.vaadin.flow.server.auth.AccessCheckDecisionResolver;
import com.vaadin.flow.server.auth.AccessCheckResult;
import com.vaadin.flow.server.auth.DefaultAccessCheckDecisionResolver;
import com.vaadin.flow.server.auth.NavigationContext;
import com.vaadin.flow.spring.security.NavigationAccessControlConfigurer;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * View access as Vaadin decides it from the views' annotations, with one addition: a signed-in user
 * refused a view (a tenant opening an operator page by URL) is written to the audit log.
 */
@Configuration(proxyBeanMethods = false)
class AuditingNavigationAccess {

  @Bean
  NavigationAccessControlConfigurer navigationAccessControlConfigurer(SecurityEvents events) {
    return new NavigationAccessControlConfigurer()
        .withAnnotatedViewAccessChecker()
        .withDecisionResolver(new Resolver(events));
  }

  /** Decides like Vaadin's default resolver and audits the refusals of signed-in users. */
  static final class Resolver implements AccessCheckDecisionResolver {

    private final DefaultAccessCheckDecisionResolver decisions =
        new DefaultAccessCheckDecisionResolver();
    private final transient SecurityEvents events;

    Resolver(SecurityEvents events) {
      this.events = events;
    }

    @Override
    public AccessCheckResult resolve(List<AccessCheckResult> results, NavigationContext context) {
      AccessCheckResult result = decisions.resolve(results, context);
      if (result.decision() == AccessCheckDecision.DENY
          && context.isNavigating()
          && !context.isErrorHandling()
          && context.getPrincipal() != null
          && events != null) {
        events.accessDenied(
            context.getPrincipal().getName(), "view /" + context.getLocation().getPath());
      }
      return result;
    }
  }
}
