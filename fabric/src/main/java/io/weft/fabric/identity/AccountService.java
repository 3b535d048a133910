package io.weft.fabric.identity;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads and creates accounts. User names are case-insensitive and stored in lower case. */
public interface AccountService {

  /** The credentials for a login attempt, or empty when no such user exists. */
  Optional<LoginCredentials> findCredentials(String username);

  Optional<Account> findByUsername(String username);

  /** How many operator accounts exist. */
  long countOperators();

  /**
   * Creates the first operator if no operator exists yet. Safe to call from several replicas at
   * once: exactly one account is created.
   *
   * @return true if this call created it
   */
  boolean createFirstOperator(String username, String rawPassword);

  /**
   * Creates a tenant user. The caller (the fabric's tenant service) has checked who may do this.
   *
   * @throws io.weft.fabric.ConflictException if the user name is taken
   */
  Account createTenantUser(String username, String rawPassword, Role role, UUID tenantId);

  /** The users of one tenant. */
  List<Account> listTenantUsers(UUID tenantId);

  /** Checks a password against the policy: the message says what is wrong, or empty if fine. */
  Optional<String> passwordProblem(String rawPassword);

  /** Sets a new password after checking the old one. */
  void changePassword(AccountId account, String currentPassword, String newPassword);
}
