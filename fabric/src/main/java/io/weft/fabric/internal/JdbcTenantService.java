package io.weft.fabric.internal;

import io.weft.fabric.Caller;
import io.weft.fabric.ConflictException;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.Quotas;
import io.weft.fabric.SignupRequest;
import io.weft.fabric.Tenant;
import io.weft.fabric.TenantId;
import io.weft.fabric.TenantService;
import io.weft.fabric.TenantState;
import io.weft.fabric.identity.Account;
import io.weft.fabric.identity.AccountService;
import io.weft.fabric.identity.Role;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

@Service
class JdbcTenantService implements TenantService {

  private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}");

  private final JdbcClient jdbc;
  private final FabricOperations operations;
  private final Authorizer authorizer;
  private final QuotaGuard quotas;
  private final AccountService accounts;
  private final Clock clock;

  JdbcTenantService(
      JdbcClient jdbc,
      FabricOperations operations,
      Authorizer authorizer,
      QuotaGuard quotas,
      AccountService accounts,
      Clock clock) {
    this.jdbc = jdbc;
    this.operations = operations;
    this.authorizer = authorizer;
    this.quotas = quotas;
    this.accounts = accounts;
    this.clock = clock;
  }

  @Override
  public Tenant signup(SignupRequest request) {
    if (request == null) {
      throw new InvalidRequestException(
          "a body with organization, adminEmail and password is required");
    }
    String organization = requireOrganization(request.organization());
    String email = requireEmail(request.adminEmail(), "adminEmail");
    accounts
        .passwordProblem(request.password())
        .ifPresent(p -> {
          throw new InvalidRequestException(p, "password");
        });
    TenantId id = TenantId.random();
    Caller signer = new Caller(null, email, Role.TENANT_ADMIN, Optional.of(id));
    return operations.change(
        signer,
        id,
        "tenant.signup",
        t -> organization,
        () -> {
          if (accounts.findByUsername(email).isPresent()) {
            throw new ConflictException("an account with this email already exists", "adminEmail");
          }
          insertTenant(id, organization, uniqueSlug(organization));
          accounts.createTenantUser(email, request.password(), Role.TENANT_ADMIN, id.value());
          return view(authorizer.load(id, false).orElseThrow());
        });
  }

  @Override
  public List<Tenant> list(Caller caller) {
    return operations.read(() -> {
      if (!caller.isOperator()) {
        return List.of(view(authorizer.readableTenant(caller, caller.tenant().orElseThrow())));
      }
      return jdbc
          .sql("SELECT * FROM fabric_tenant ORDER BY name")
          .query(Authorizer::tenant)
          .list()
          .stream()
          .map(this::view)
          .toList();
    });
  }

  @Override
  public Tenant get(Caller caller, TenantId tenantId) {
    return operations.read(() -> view(authorizer.readableTenant(caller, tenantId)));
  }

  @Override
  public Tenant updateQuotas(Caller caller, TenantId tenantId, Quotas newQuotas) {
    if (newQuotas == null) {
      throw new InvalidRequestException("quotas are required", "quotas");
    }
    return operations.change(
        caller,
        tenantId,
        "tenant.quotas",
        t -> newQuotas.toString(),
        () -> {
          authorizer.requireOperator(caller, "change quotas");
          authorizer.load(tenantId, true).orElseThrow(Authorizer::notFound);
          jdbc.sql(
                  "UPDATE fabric_tenant SET quota_vm_networks = :n, quota_subnets = :s, quota_vms = :v,"
                      + " quota_vnics = :c, quota_public_ips = :p WHERE id = :id")
              .param("n", newQuotas.vmNetworks())
              .param("s", newQuotas.subnets())
              .param("v", newQuotas.vms())
              .param("c", newQuotas.vnics())
              .param("p", newQuotas.publicIps())
              .param("id", tenantId.value())
              .update();
          return view(authorizer.load(tenantId, false).orElseThrow());
        });
  }

  @Override
  public Tenant setState(Caller caller, TenantId tenantId, TenantState state) {
    if (state == null) {
      throw new InvalidRequestException("state must be ACTIVE or SUSPENDED", "state");
    }
    return operations.change(
        caller,
        tenantId,
        "tenant.state",
        t -> state.name(),
        () -> {
          authorizer.requireOperator(caller, "suspend or resume tenants");
          authorizer.load(tenantId, true).orElseThrow(Authorizer::notFound);
          jdbc.sql("UPDATE fabric_tenant SET state = :state WHERE id = :id")
              .param("state", state.name())
              .param("id", tenantId.value())
              .update();
          return view(authorizer.load(tenantId, false).orElseThrow());
        });
  }

  @Override
  public List<Account> listUsers(Caller caller, TenantId tenantId) {
    return operations.read(() -> {
      authorizer.requireTenantAdmin(caller, tenantId);
      return accounts.listTenantUsers(tenantId.value());
    });
  }

  @Override
  public Account addUser(
      Caller caller, TenantId tenantId, String email, String password, Role role) {
    String username = requireEmail(email, "email");
    if (role == null || role == Role.OPERATOR) {
      throw new InvalidRequestException("role must be TENANT_ADMIN or TENANT_MEMBER", "role");
    }
    return operations.change(
        caller,
        tenantId,
        "tenant.user-add",
        a -> username + " " + role,
        () -> {
          authorizer.requireTenantAdmin(caller, tenantId);
          authorizer.writableTenant(caller, tenantId);
          if (accounts.findByUsername(username).isPresent()) {
            throw new ConflictException("an account with this email already exists", "email");
          }
          return accounts.createTenantUser(username, password, role, tenantId.value());
        });
  }

  private Tenant view(TenantRecord t) {
    return new Tenant(
        t.id(), t.name(), t.slug(), t.state(), t.quotas(), quotas.usage(t.id()), t.createdAt());
  }

  private void insertTenant(TenantId id, String name, String slug) {
    Quotas q = Quotas.DEFAULT;
    jdbc.sql(
            "INSERT INTO fabric_tenant (id, name, slug, state, quota_vm_networks, quota_subnets,"
                + " quota_vms, quota_vnics, quota_public_ips, created_at) VALUES (:id, :name, :slug,"
                + " 'ACTIVE', :n, :s, :v, :c, :p, :at)")
        .param("id", id.value())
        .param("name", name)
        .param("slug", slug)
        .param("n", q.vmNetworks())
        .param("s", q.subnets())
        .param("v", q.vms())
        .param("c", q.vnics())
        .param("p", q.publicIps())
        .param("at", Timestamp.from(clock.instant()))
        .update();
  }

  private String uniqueSlug(String organization) {
    String base =
        organization
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9]+", "-")
            .replaceAll("(^-+|-+$)", "");
    if (base.isEmpty()) {
      base = "tenant";
    }
    base = base.length() > 48 ? base.substring(0, 48) : base;
    String slug = base;
    for (int n = 2; slugTaken(slug); n++) {
      slug = base + "-" + n;
    }
    return slug;
  }

  private boolean slugTaken(String slug) {
    return jdbc.sql("SELECT count(*) FROM fabric_tenant WHERE slug = :slug")
            .param("slug", slug)
            .query(Long.class)
            .single()
        > 0;
  }

  private static String requireOrganization(String value) {
    String name = value == null ? "" : value.strip();
    if (name.isEmpty() || name.length() > 200) {
      throw new InvalidRequestException(
          "organization is required (at most 200 characters)", "organization");
    }
    return name;
  }

  private static String requireEmail(String value, String field) {
    String email = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
      throw new InvalidRequestException(
          field + " must be an email address like admin@example.com", field);
    }
    return email;
  }
}
