package io.weft.fabric.identity;

/** What an account may do. Operators are global; tenant roles are bound to one tenant. */
public enum Role {
  /** Runs the cloud: hosts, logical networks, every tenant. */
  OPERATOR,
  /** Administers one tenant: its networks, VMs and users. */
  TENANT_ADMIN,
  /** Uses one tenant's networks and VMs. */
  TENANT_MEMBER;

  /** The authority name Spring Security expects for {@code hasRole(name())}. */
  public String authority() {
    return "ROLE_" + name();
  }
}
