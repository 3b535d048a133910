package io.weft.fabric.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.weft.fabric.AuditEntry;
import io.weft.fabric.AuditQuery;
import io.weft.fabric.PageRequest;
import io.weft.fabric.identity.Account;
import io.weft.fabric.identity.AccountId;
import io.weft.fabric.identity.ApiToken;
import io.weft.fabric.identity.Role;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The accounts behind sign-in, personal API tokens, and the security events the portal writes into
 * the audit log: what one account or tenant may see of another's, and the input each refuses.
 */
abstract class IdentityContract extends FabricContract {

  @Test
  @Covers({"AccountService.findCredentials", "AccountService.findByUsername"})
  void credentialsAreFoundByCaseInsensitiveNameAndCarryOnlyAHash() {
    Tenancy a = newTenant();
    var credentials = accounts.findCredentials("  " + a.adminEmail().toUpperCase() + " ");
    assertThat(credentials).isPresent();
    assertThat(credentials.get().enabled()).isTrue();
    assertThat(credentials.get().account().tenantId()).contains(a.id().value());
    assertThat(credentials.get().passwordHash()).isNotBlank().doesNotContain("Password-123456");
    assertThat(accounts.findCredentials("nobody-" + tag() + "@example.com")).isEmpty();
    assertThat(accounts.findCredentials(null)).isEmpty();
    assertThat(accounts.findByUsername(a.adminEmail().toUpperCase()).orElseThrow().role())
        .isEqualTo(Role.TENANT_ADMIN);
  }

  @Test
  @Covers({"AccountService.countOperators", "AccountService.createFirstOperator"})
  void theFirstOperatorIsCreatedOnceAndNeverAgain() {
    long operators = accounts.countOperators();
    assertThat(operators).as("the bootstrap operator").isGreaterThanOrEqualTo(1);
    assertThat(accounts.createFirstOperator("second-" + tag(), "Password-123456")).isFalse();
    assertThat(accounts.countOperators()).isEqualTo(operators);
  }

  @Test
  @Covers({"AccountService.createTenantUser", "AccountService.listTenantUsers"})
  void aTenantUserIsNeverAnOperatorKeepsThePolicyAndIsListedOnlyWithItsTenant() {
    Tenancy a = newTenant();
    Tenancy b = newTenant();
    UUID tenant = a.id().value();
    String name = "u-" + tag() + "@example.com";
    assertThatThrownBy(
            () -> accounts.createTenantUser(name, "Password-123456", Role.OPERATOR, tenant))
        .isInstanceOf(IllegalArgumentException.class);
    invalid("password", () -> accounts.createTenantUser(name, "short", Role.TENANT_MEMBER, tenant));
    Account made =
        accounts.createTenantUser(
            name.toUpperCase(), "Password-123456", Role.TENANT_MEMBER, tenant);
    assertThat(made.username()).isEqualTo(name);
    conflict(
        "username",
        () ->
            accounts.createTenantUser(name, "Password-123456", Role.TENANT_MEMBER, b.id().value()));
    assertThat(accounts.listTenantUsers(tenant))
        .extracting(Account::username)
        .containsExactlyInAnyOrder(a.adminEmail(), name);
    assertThat(accounts.listTenantUsers(b.id().value()))
        .extracting(Account::username)
        .containsExactly(b.adminEmail());
  }

  @Test
  @Covers({"ApiTokenService.list", "ApiTokenService.issue"})
  void anAccountListsOnlyItsOwnTokensAndHoldsAtMostTwenty() {
    Tenancy a = newTenant();
    Tenancy b = newTenant();
    AccountId owner = accounts.findByUsername(a.adminEmail()).orElseThrow().id();
    AccountId other = accounts.findByUsername(b.adminEmail()).orElseThrow().id();
    var first = apiTokens.issue(owner, "  first ");
    assertThat(first.token().name()).isEqualTo("first");
    apiTokens.issue(other, "theirs");
    assertThat(apiTokens.list(owner)).extracting(ApiToken::id).containsExactly(first.token().id());
    assertThat(apiTokens.list(owner)).extracting(ApiToken::lastUsedAt).containsOnlyNulls();
    IntStream.range(1, 20).forEach(i -> apiTokens.issue(owner, "t" + i));
    conflict("name", () -> apiTokens.issue(owner, "one too many"));
    assertThat(apiTokens.list(owner)).hasSize(20);
    assertThat(apiTokens.authenticate(first.secret()).orElseThrow().id()).isEqualTo(owner);
    assertThat(apiTokens.list(owner))
        .filteredOn(t -> t.id().equals(first.token().id()))
        .singleElement()
        .satisfies(t -> assertThat(t.lastUsedAt()).isNotNull());
    // Kept to the minute: a use within it does not write the row again (no queue on its lock).
    var used = lastUsed(owner, first.token().id());
    assertThat(apiTokens.authenticate(first.secret())).isPresent();
    assertThat(lastUsed(owner, first.token().id())).isEqualTo(used);
    assertThat(apiTokens.authenticate("weft-token-forged")).isEmpty();
    assertThat(apiTokens.authenticate(null)).isEmpty();
  }

  @Test
  @Covers({"SecurityAuditLog.record", "SecurityAuditLog.refused"})
  void securityEventsReachTheirTenantsAdminsAndOperatorsButNoOtherTenant() {
    Tenancy a = newTenant();
    Tenancy b = newTenant();
    String marker = "marker-" + tag();
    securityAudit.record(a.adminEmail(), a.id(), "login.failed", "/login", "REFUSED", marker);
    securityAudit.refused(a.member(), "trace", "vnic " + marker, "not yours");
    securityAudit.record("x".repeat(400), null, "login.failed", "t".repeat(300), "REFUSED", marker);
    var query = new AuditQuery(a.id(), null, null, marker);
    assertThat(audit.page(a.admin(), query, PageRequest.first(10)).items())
        .extracting(AuditEntry::action, AuditEntry::result)
        .containsExactlyInAnyOrder(tuple("login.failed", "REFUSED"), tuple("trace", "REFUSED"));
    notFound(() -> audit.page(b.admin(), query, PageRequest.first(10)));
    denied(() -> audit.page(a.member(), query, PageRequest.first(10)));
    var all = audit.page(OPERATOR, new AuditQuery(null, null, null, marker), PageRequest.first(10));
    assertThat(all.total()).isEqualTo(3);
    assertThat(all.items())
        .filteredOn(e -> e.tenantId() == null)
        .singleElement()
        .satisfies(e -> {
          assertThat(e.actor()).hasSize(254);
          assertThat(e.target()).hasSize(200);
        });
  }

  private java.time.Instant lastUsed(AccountId owner, java.util.UUID token) {
    return apiTokens.list(owner).stream()
        .filter(t -> t.id().equals(token))
        .findFirst()
        .orElseThrow()
        .lastUsedAt();
  }
}
