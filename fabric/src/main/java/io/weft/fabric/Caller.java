package io.weft.fabric;

import io.weft.fabric.identity.AccountId;
import io.weft.fabric.identity.Role;
import java.util.Objects;
import java.util.Optional;

/**
 * Who is calling a fabric service. Passed explicitly to every call: there is no ambient tenant.
 *
 * @param tenant the caller's own tenant; empty for operators and for the system itself
 */
public record Caller(AccountId account, String username, Role role, Optional<TenantId> tenant) {

  public Caller {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(tenant, "tenant");
    if (role != Role.OPERATOR && tenant.isEmpty()) {
      throw new IllegalArgumentException("a tenant user needs a tenant");
    }
  }

  /** The controller acting on its own behalf (scheduled jobs, agents' reports). */
  public static Caller system(String what) {
    return new Caller(null, "system:" + what, Role.OPERATOR, Optional.empty());
  }

  public boolean isOperator() {
    return role == Role.OPERATOR;
  }
}
