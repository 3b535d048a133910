package io.weft.fabric;

import io.weft.fabric.identity.Account;
import io.weft.fabric.identity.Role;
import java.util.List;

/** Tenants: self-service sign-up, and the operator's view of every tenant. */
public interface TenantService {

  /** Creates a tenant and its first TENANT_ADMIN, who signs in with the email. Anyone may call. */
  Tenant signup(SignupRequest request);

  /** Operators see every tenant; a tenant user sees only its own. */
  List<Tenant> list(Caller caller);

  Tenant get(Caller caller, TenantId tenantId);

  /** Operators only. */
  Tenant updateQuotas(Caller caller, TenantId tenantId, Quotas quotas);

  /** Operators only: a suspended tenant keeps its objects but may not change them. */
  Tenant setState(Caller caller, TenantId tenantId, TenantState state);

  /** The tenant's users: its admins and operators may list them. */
  List<Account> listUsers(Caller caller, TenantId tenantId);

  /** A tenant admin (or an operator) adds a user with role TENANT_ADMIN or TENANT_MEMBER. */
  Account addUser(Caller caller, TenantId tenantId, String email, String password, Role role);
}
