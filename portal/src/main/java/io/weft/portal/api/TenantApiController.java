package io.weft.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.Quotas;
import io.weft.fabric.SignupRequest;
import io.weft.fabric.Tenant;
import io.weft.fabric.TenantService;
import io.weft.fabric.TenantState;
import io.weft.fabric.identity.Account;
import io.weft.fabric.identity.Role;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(
    name = "Tenants",
    description = "Self-service sign-up; operators list tenants, set quotas, suspend")
class TenantApiController {

  private final TenantService tenants;
  private final CallerResolver callers;

  TenantApiController(TenantService tenants, CallerResolver callers) {
    this.tenants = tenants;
    this.callers = callers;
  }

  @PostMapping("/api/v1/signup")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(summary = "Sign up a new tenant; the admin then signs in with the email as user name")
  Tenant signup(@RequestBody SignupRequest request) {
    return tenants.signup(request);
  }

  @GetMapping("/api/v1/tenants")
  @Operation(summary = "Every tenant (operators) or the caller's own tenant")
  List<Tenant> list(Authentication auth) {
    return tenants.list(callers.resolve(auth));
  }

  @GetMapping("/api/v1/tenants/{tenantId}")
  Tenant get(Authentication auth, @PathVariable String tenantId) {
    return tenants.get(callers.resolve(auth), PathIds.tenant(tenantId));
  }

  @PutMapping("/api/v1/tenants/{tenantId}/quotas")
  @Operation(summary = "Set a tenant's quotas (operators)")
  Tenant quotas(Authentication auth, @PathVariable String tenantId, @RequestBody Quotas quotas) {
    return tenants.updateQuotas(callers.resolve(auth), PathIds.tenant(tenantId), quotas);
  }

  @PostMapping("/api/v1/tenants/{tenantId}/suspend")
  @Operation(summary = "Suspend a tenant: its objects stay, changes are refused (operators)")
  Tenant suspend(Authentication auth, @PathVariable String tenantId) {
    return tenants.setState(callers.resolve(auth), PathIds.tenant(tenantId), TenantState.SUSPENDED);
  }

  @PostMapping("/api/v1/tenants/{tenantId}/resume")
  @Operation(summary = "Resume a suspended tenant (operators)")
  Tenant resume(Authentication auth, @PathVariable String tenantId) {
    return tenants.setState(callers.resolve(auth), PathIds.tenant(tenantId), TenantState.ACTIVE);
  }

  @GetMapping("/api/v1/tenants/{tenantId}/users")
  @Operation(summary = "The tenant's users (tenant admins and operators)")
  List<Account> users(Authentication auth, @PathVariable String tenantId) {
    return tenants.listUsers(callers.resolve(auth), PathIds.tenant(tenantId));
  }

  @PostMapping("/api/v1/tenants/{tenantId}/users")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(
      summary = "Add a user to the tenant (tenant admins): role TENANT_ADMIN or TENANT_MEMBER")
  Account addUser(Authentication auth, @PathVariable String tenantId, @RequestBody NewUser body) {
    if (body == null) {
      throw new InvalidRequestException("a body with email, password and role is required");
    }
    return tenants.addUser(
        callers.resolve(auth),
        PathIds.tenant(tenantId),
        body.email(),
        body.password(),
        role(body.role()));
  }

  /** Body of a new tenant user. */
  record NewUser(String email, String password, String role) {}

  private static Role role(String text) {
    try {
      return text == null
          ? Role.TENANT_MEMBER
          : Role.valueOf(text.strip().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("role must be TENANT_ADMIN or TENANT_MEMBER", "role");
    }
  }
}
