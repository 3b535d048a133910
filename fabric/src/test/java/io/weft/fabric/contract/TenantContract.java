package io.weft.fabric.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.Quotas;
import io.weft.fabric.SignupRequest;
import io.weft.fabric.Tenant;
import io.weft.fabric.TenantId;
import io.weft.fabric.TenantState;
import io.weft.fabric.identity.Role;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Tenants, quotas and tenant users, plus the account and API-token services behind sign-in. */
abstract class TenantContract extends FabricContract {

  @Test
  @Covers("TenantService.signup")
  void signupRefusesAMissingOrganisationABadEmailAWeakPasswordAndATakenEmail() {
    String email = "x-" + UUID.randomUUID() + "@example.com";
    invalid("organization", () -> tenants.signup(new SignupRequest(" ", email, "Password-123456")));
    invalid(
        "adminEmail", () -> tenants.signup(new SignupRequest("Org", "no-at", "Password-123456")));
    invalid("password", () -> tenants.signup(new SignupRequest("Org", email, "short")));
    Tenancy taken = newTenant();
    conflict(
        "adminEmail",
        () -> tenants.signup(new SignupRequest("Org 2", taken.adminEmail(), "Password-123456")));
  }

  @Test
  @Covers({"TenantService.list", "TenantService.get"})
  void aTenantListsAndReadsOnlyItselfAndAnotherTenantIsNotFound() {
    Tenancy a = newTenant();
    Tenancy b = newTenant();
    assertThat(tenants.list(a.member())).extracting(Tenant::id).containsExactly(a.id());
    assertThat(tenants.list(OPERATOR)).extracting(Tenant::id).contains(a.id(), b.id());
    assertThat(tenants.get(a.member(), a.id()).id()).isEqualTo(a.id());
    notFound(() -> tenants.get(b.admin(), a.id()));
  }

  @Test
  @Covers("TenantService.updateQuotas")
  void onlyOperatorsChangeQuotasAndAQuotaMustBeARealLimit() {
    Tenancy a = newTenant();
    denied(() -> tenants.updateQuotas(a.admin(), a.id(), new Quotas(99, 99, 99, 99, 9)));
    invalid("quotas", () -> tenants.updateQuotas(OPERATOR, a.id(), null));
    invalid("vms", () -> new Quotas(1, 1, -1, 1, 1));
    assertThat(tenants.updateQuotas(OPERATOR, a.id(), new Quotas(1, 2, 3, 4, 5)).quotas().vms())
        .isEqualTo(3);
  }

  @Test
  @Covers({"TenantService.updateQuotas", "NetworkService.createVmNetwork"})
  void aQuotaIsEnforced() {
    Tenancy a = newTenant();
    tenants.updateQuotas(OPERATOR, a.id(), new Quotas(1, 1, 1, 1, 0));
    network(a);
    conflict("quota", () -> network(a));
  }

  @Test
  @Covers("TenantService.setState")
  void onlyOperatorsSuspendAndASuspendedTenantChangesNothing() {
    Tenancy a = newTenant();
    denied(() -> tenants.setState(a.admin(), a.id(), TenantState.SUSPENDED));
    invalid("state", () -> tenants.setState(OPERATOR, a.id(), null));
    tenants.setState(OPERATOR, a.id(), TenantState.SUSPENDED);
    conflict("tenantId", () -> network(a));
    tenants.setState(OPERATOR, a.id(), TenantState.ACTIVE);
    assertThat(network(a).name()).startsWith("net-");
  }

  @Test
  @Covers({"TenantService.listUsers", "TenantService.addUser"})
  void onlyATenantsAdminsListAndAddItsUsers() {
    Tenancy a = newTenant();
    Tenancy b = newTenant();
    String email = "u-" + UUID.randomUUID() + "@example.com";
    denied(() -> tenants.listUsers(a.member(), a.id()));
    notFound(() -> tenants.listUsers(b.admin(), a.id()));
    denied(() -> tenants.addUser(a.member(), a.id(), email, "Password-123456", Role.TENANT_MEMBER));
    notFound(
        () -> tenants.addUser(b.admin(), a.id(), email, "Password-123456", Role.TENANT_MEMBER));
    invalid(
        "role", () -> tenants.addUser(a.admin(), a.id(), email, "Password-123456", Role.OPERATOR));
    invalid(
        "password", () -> tenants.addUser(a.admin(), a.id(), email, "short", Role.TENANT_MEMBER));
    tenants.addUser(a.admin(), a.id(), email, "Password-123456", Role.TENANT_MEMBER);
    conflict(
        "email",
        () -> tenants.addUser(a.admin(), a.id(), email, "Password-123456", Role.TENANT_ADMIN));
    assertThat(tenants.listUsers(a.admin(), a.id())).hasSize(2);
  }

  @Test
  @Covers({
    "AccountService.changePassword",
    "AccountService.passwordProblem",
    "AccountService.createTenantUser",
    "AccountService.findByUsername"
  })
  void anAccountsPasswordChangesOnlyWithTheCurrentPasswordAndWithinThePolicy() {
    Tenancy a = newTenant();
    var account = accounts.findByUsername(a.adminEmail()).orElseThrow();
    invalid(
        "currentPassword",
        () -> accounts.changePassword(account.id(), "Wrong-password-1", "Password-654321"));
    invalid("newPassword", () -> accounts.changePassword(account.id(), "Password-123456", "short"));
    accounts.changePassword(account.id(), "Password-123456", "Password-654321");
    assertThat(accounts.passwordProblem("short")).isPresent();
    conflict(
        "username",
        () ->
            accounts.createTenantUser(
                a.adminEmail(), "Password-123456", Role.TENANT_MEMBER, a.id().value()));
  }

  @Test
  @Covers({"ApiTokenService.issue", "ApiTokenService.revoke", "ApiTokenService.authenticate"})
  void anApiTokenIsRevokedOnlyByItsOwnerAndNeedsAName() {
    Tenancy a = newTenant();
    Tenancy b = newTenant();
    var owner = accounts.findByUsername(a.adminEmail()).orElseThrow().id();
    var other = accounts.findByUsername(b.adminEmail()).orElseThrow().id();
    invalid("name", () -> apiTokens.issue(owner, " "));
    invalid("name", () -> apiTokens.issue(owner, "n".repeat(101)));
    var issued = apiTokens.issue(owner, "ci");
    notFound(() -> apiTokens.revoke(other, issued.token().id()));
    assertThat(apiTokens.authenticate(issued.secret())).isPresent();
    apiTokens.revoke(owner, issued.token().id());
    assertThat(apiTokens.authenticate(issued.secret())).isEmpty();
  }

  @Test
  @Covers({
    "TenantService.get",
    "TenantService.updateQuotas",
    "TenantService.setState",
    "TenantService.addUser",
    "TenantService.listUsers"
  })
  void anUnknownTenantIsNotFoundAndANewUserSignsInWithItsTenant() {
    Tenancy a = newTenant();
    var unknown = TenantId.random();
    notFound(() -> tenants.get(OPERATOR, unknown));
    notFound(() -> tenants.updateQuotas(OPERATOR, unknown, Quotas.DEFAULT));
    notFound(() -> tenants.setState(OPERATOR, unknown, TenantState.SUSPENDED));
    denied(() -> tenants.updateQuotas(a.member(), a.id(), Quotas.DEFAULT));
    denied(() -> tenants.setState(a.member(), a.id(), TenantState.ACTIVE));
    assertThat(tenants.get(OPERATOR, a.id()).quotas()).isEqualTo(Quotas.DEFAULT);
    invalid("email", () -> tenants.addUser(a.admin(), a.id(), "no-at", "Password-123456", null));
    invalid(
        "role",
        () ->
            tenants.addUser(
                a.admin(),
                a.id(),
                "x-" + UUID.randomUUID() + "@example.com",
                "Password-123456",
                null));
    String email = "New-" + UUID.randomUUID() + "@Example.com";
    var added = tenants.addUser(OPERATOR, a.id(), email, "Password-123456", Role.TENANT_ADMIN);
    assertThat(added.username()).isEqualTo(email.toLowerCase(Locale.ROOT));
    assertThat(added.tenantId()).contains(a.id().value());
    assertThat(tenants.listUsers(OPERATOR, a.id())).hasSize(2);
    tenants.setState(OPERATOR, a.id(), TenantState.SUSPENDED);
    conflict(
        "tenantId",
        () ->
            tenants.addUser(
                a.admin(),
                a.id(),
                "late-" + UUID.randomUUID() + "@example.com",
                "Password-123456",
                Role.TENANT_MEMBER));
    assertThat(tenants.get(a.member(), a.id()).state()).isEqualTo(TenantState.SUSPENDED);
  }
}
