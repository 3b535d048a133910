package io.weft.fabric.identity.internal;

import io.weft.fabric.ConflictException;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.NotFoundException;
import io.weft.fabric.identity.Account;
import io.weft.fabric.identity.AccountId;
import io.weft.fabric.identity.AccountService;
import io.weft.fabric.identity.LoginCredentials;
import io.weft.fabric.identity.Role;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
class JpaAccountService implements AccountService {

  private final AccountRepository accounts;
  private final PasswordEncoder passwordEncoder;
  private final JdbcClient jdbc;
  private final Clock clock;

  JpaAccountService(
      AccountRepository accounts, PasswordEncoder passwordEncoder, JdbcClient jdbc, Clock clock) {
    this.accounts = accounts;
    this.passwordEncoder = passwordEncoder;
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @Override
  @Transactional(readOnly = true)
  public Optional<LoginCredentials> findCredentials(String username) {
    return accounts
        .findByUsername(normalize(username))
        .map(e -> new LoginCredentials(e.toAccount(), e.passwordHash(), e.enabled()));
  }

  @Override
  @Transactional(readOnly = true)
  public Optional<Account> findByUsername(String username) {
    return accounts.findByUsername(normalize(username)).map(AccountEntity::toAccount);
  }

  @Override
  @Transactional(readOnly = true)
  public long countOperators() {
    return accounts.countByRole(Role.OPERATOR);
  }

  /**
   * The bootstrap row's primary key makes a second replica's insert fail (after the first commits
   * on PostgreSQL), so the caller sees a DataIntegrityViolationException instead of a duplicate.
   */
  @Override
  @Transactional
  public boolean createFirstOperator(String username, String rawPassword) {
    if (countOperators() > 0) {
      return false;
    }
    jdbc.sql("INSERT INTO fabric_bootstrap (name, done_at) VALUES ('first-operator', :now)")
        .param("now", java.sql.Timestamp.from(clock.instant()))
        .update();
    accounts.save(
        new AccountEntity(
            normalize(username),
            passwordEncoder.encode(rawPassword),
            Role.OPERATOR,
            null,
            clock.instant()));
    return true;
  }

  @Override
  @Transactional
  public Account createTenantUser(String username, String rawPassword, Role role, UUID tenantId) {
    if (role == Role.OPERATOR) {
      throw new IllegalArgumentException("tenant users cannot be operators");
    }
    String name = normalize(username);
    passwordProblem(rawPassword)
        .ifPresent(p -> {
          throw new InvalidRequestException(p, "password");
        });
    if (accounts.findByUsername(name).isPresent()) {
      throw new ConflictException("a user named '" + name + "' already exists", "username");
    }
    AccountEntity entity =
        new AccountEntity(
            name, passwordEncoder.encode(rawPassword), role, tenantId, clock.instant());
    accounts.save(entity);
    return entity.toAccount();
  }

  @Override
  @Transactional(readOnly = true)
  public List<Account> listTenantUsers(UUID tenantId) {
    return accounts.findByTenantIdOrderByUsername(tenantId).stream()
        .map(AccountEntity::toAccount)
        .toList();
  }

  @Override
  public Optional<String> passwordProblem(String rawPassword) {
    return PasswordPolicy.problem(rawPassword);
  }

  @Override
  @Transactional
  public void changePassword(AccountId account, String currentPassword, String newPassword) {
    AccountEntity entity =
        accounts
            .findById(account.value())
            .orElseThrow(() -> new NotFoundException("no such account", "account"));
    if (currentPassword == null
        || !passwordEncoder.matches(currentPassword, entity.passwordHash())) {
      throw new InvalidRequestException("the current password is not correct", "currentPassword");
    }
    passwordProblem(newPassword)
        .ifPresent(p -> {
          throw new InvalidRequestException(p, "newPassword");
        });
    entity.changePasswordHash(passwordEncoder.encode(newPassword));
  }

  static String normalize(String username) {
    return username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
  }
}
