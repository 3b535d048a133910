package io.weft.fabric.identity.internal;

import io.weft.fabric.identity.Account;
import io.weft.fabric.identity.AccountId;
import io.weft.fabric.identity.Role;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

@Entity
@Table(name = "fabric_account")
class AccountEntity {

  @Id private UUID id;

  @Column(nullable = false, unique = true)
  private String username;

  @Column(name = "password_hash", nullable = false)
  private String passwordHash;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private Role role;

  @Column(name = "tenant_id")
  private UUID tenantId;

  @Column(nullable = false)
  private boolean enabled;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  protected AccountEntity() {}

  AccountEntity(String username, String passwordHash, Role role, UUID tenantId, Instant now) {
    this.id = UUID.randomUUID();
    this.username = username;
    this.passwordHash = passwordHash;
    this.role = role;
    this.tenantId = tenantId;
    this.enabled = true;
    this.createdAt = now;
  }

  Account toAccount() {
    return new Account(new AccountId(id), username, role, Optional.ofNullable(tenantId), createdAt);
  }

  String passwordHash() {
    return passwordHash;
  }

  void changePasswordHash(String newHash) {
    this.passwordHash = newHash;
  }

  boolean enabled() {
    return enabled;
  }
}
