package io.weft.portal.ui;

import io.weft.fabric.Caller;
import io.weft.fabric.TenantId;
import io.weft.fabric.identity.Role;
import io.weft.portal.api.CallerResolver;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.stereotype.Component;

/** The signed-in user as the explicit {@link Caller} every fabric service takes. */
@Component
public class CurrentUser {

  private final CallerResolver callers;
  private final SecurityContextHolderStrategy contexts;

  /**
   * @param contexts the application's strategy (Vaadin's), as Spring Security's filters use
   */
  CurrentUser(CallerResolver callers, SecurityContextHolderStrategy contexts) {
    this.callers = callers;
    this.contexts = contexts;
  }

  public Caller caller() {
    return callers.resolve(contexts.getContext().getAuthentication());
  }

  /** The caller's own tenant; views for tenants are only reachable by tenant users. */
  public TenantId tenant() {
    return caller().tenant().orElseThrow(() -> new IllegalStateException("not a tenant user"));
  }

  public boolean isTenantAdmin() {
    return caller().role() == Role.TENANT_ADMIN;
  }
}
