package io.weft.portal.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.portal.H2ApplicationTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The REST API as scripts use it, run against each database: the whole model, a validation matrix
 * where every refusal is a clear 4xx naming the field, tenant isolation from the attacker's side,
 * and nothing half-written after a refusal.
 */
abstract class FabricApiContract {

  abstract int port();

  ApiClient anonymous;
  ApiClient operator;

  @BeforeEach
  void clients() {
    anonymous = ApiClient.anonymous(port());
    operator = ApiClient.basic(port(), "admin", H2ApplicationTest.ADMIN_PASSWORD);
  }

  /** A freshly signed-up tenant and a client signed in as its admin. */
  record TenantSession(String tenantId, String email, ApiClient api) {
    String path(String rest) {
      return "/api/v1/tenants/" + tenantId + rest;
    }
  }

  TenantSession signUp() {
    return signUp(port());
  }

  static TenantSession signUp(int port) {
    ApiClient anonymous = ApiClient.anonymous(port);
    String email = "admin-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.example";
    ApiClient.Response created =
        anonymous.post(
            "/api/v1/signup",
            Map.of(
                "organization",
                "Acme " + email,
                "adminEmail",
                email,
                "password",
                "a long passphrase 42"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return new TenantSession(
        created.id(), email, ApiClient.basic(port, email, "a long passphrase 42"));
  }

  static String networkOf(TenantSession t, String name) {
    ApiClient.Response r = t.api().post(t.path("/vm-networks"), Map.of("name", name));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.id();
  }

  static ApiClient.Response subnet(TenantSession t, String network, String name, String cidr) {
    return t.api()
        .post(t.path("/vm-networks/" + network + "/subnets"), Map.of("name", name, "cidr", cidr));
  }

  static void assertProblem(ApiClient.Response r, int status, String field) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.text("detail")).as("a reason a person can read").isNotBlank();
    if (field != null) {
      assertThat(r.text("field")).as(r.toString()).isEqualTo(field);
    }
  }

  @Test
  void aTenantSignsUpAndBuildsANetworkWithSubnetsRangesAndVms() {
    TenantSession t = signUp();
    assertThat(t.api().get("/api/v1/me").text("role")).isEqualTo("TENANT_ADMIN");
    String net = networkOf(t, "prod");
    ApiClient.Response web = subnet(t, net, "web", "10.0.0.0/24");
    assertThat(web.status()).as(web.toString()).isEqualTo(201);
    assertThat(web.text("gateway")).isEqualTo("10.0.0.1");
    assertThat(web.body().path("vsid").asInt()).isBetween(4096, 16_777_214);

    ApiClient.Response range =
        t.api()
            .post(
                t.path("/subnets/" + web.id() + "/dhcp-ranges"),
                Map.of("start", "10.0.0.100", "end", "10.0.0.199"));
    assertThat(range.status()).as(range.toString()).isEqualTo(201);
    assertThat(range.body().path("dnsServers").get(0).asString()).isEqualTo("10.0.0.1");

    ApiClient.Response vm =
        t.api()
            .post(
                t.path("/vms"),
                Map.of(
                    "name",
                    "vm1",
                    "nics",
                    List.of(
                        Map.of("subnetId", web.id(), "addressing", "DHCP"),
                        Map.of(
                            "subnetId", web.id(), "addressing", "STATIC", "address", "10.0.0.5"))));
    assertThat(vm.status()).as(vm.toString()).isEqualTo(201);
    assertThat(vm.body().path("nics").get(0).path("mac").asString())
        .matches("02:57:46(:[0-9a-f]{2}){3}");
    assertThat(vm.body().path("nics").get(0).path("address").isNull()).isTrue();
    assertThat(vm.body().path("nics").get(1).path("address").asString()).isEqualTo("10.0.0.5");
    assertThat(vm.body().has("placement")).as("tenants never see hosts").isFalse();

    assertThat(t.api().get(t.path("/vms/" + vm.id())).text("name")).isEqualTo("vm1");
    assertThat(t.api().get(t.path("/vm-networks")).body().size()).isEqualTo(1);
    assertThat(
            t.api().put(t.path("/vm-networks/" + net), Map.of("name", "production")).text("name"))
        .isEqualTo("production");
    assertThat(t.api().delete(t.path("/vms/" + vm.id())).status()).isEqualTo(204);
    assertThat(t.api().get(t.path("/vms/" + vm.id())).status()).isEqualTo(404);
  }

  @Test
  void invalidInputIsAClearFourHundredNamingTheField() {
    TenantSession t = signUp();
    String net = networkOf(t, "prod");
    assertProblem(subnet(t, net, "a", "10.0.0.0/33"), 400, "cidr");
    assertProblem(subnet(t, net, "b", "not-a-cidr"), 400, "cidr");
    assertProblem(subnet(t, net, "c", "10.0.0.1/24"), 400, "cidr");
    assertProblem(subnet(t, net, "d", ""), 400, "cidr");
    assertProblem(subnet(t, net, "", "10.9.0.0/24"), 400, "name");
    assertProblem(t.api().post(t.path("/vm-networks"), Map.of("name", "  ")), 400, "name");
    assertProblem(t.api().postRaw(t.path("/vm-networks"), "{not json"), 400, null);
    assertProblem(
        anonymous.post(
            "/api/v1/signup",
            Map.of("organization", "X", "adminEmail", "x@y.example", "password", "short")),
        400,
        "password");
    assertProblem(
        anonymous.post(
            "/api/v1/signup",
            Map.of(
                "organization", "X", "adminEmail", "nobody", "password", "a long passphrase 42")),
        400,
        "adminEmail");

    String web = subnet(t, net, "web", "10.0.0.0/24").id();
    String ranges = t.path("/subnets/" + web + "/dhcp-ranges");
    assertProblem(
        t.api().post(ranges, Map.of("start", "10.0.1.10", "end", "10.0.1.20")), 400, "start");
    assertProblem(
        t.api().post(ranges, Map.of("start", "10.0.0.1", "end", "10.0.0.20")), 409, "start");
    assertProblem(
        t.api().post(ranges, Map.of("start", "10.0.0.50", "end", "10.0.0.20")), 400, null);
    assertThat(t.api().post(ranges, Map.of("start", "10.0.0.100", "end", "10.0.0.199")).status())
        .isEqualTo(201);
    assertProblem(
        t.api().post(ranges, Map.of("start", "10.0.0.150", "end", "10.0.0.250")), 409, "start");
    assertProblem(
        t.api().post(ranges, Map.of("start", "10.0.0.200", "end", "10.0.0.210", "leaseSeconds", 5)),
        400,
        "leaseSeconds");
    assertProblem(
        t.api()
            .post(
                t.path("/vms"),
                Map.of(
                    "name",
                    "v",
                    "nics",
                    List.of(
                        Map.of("subnetId", web, "addressing", "STATIC", "address", "10.0.0.150")))),
        409,
        "nics[0].address");
    assertProblem(
        t.api()
            .post(
                t.path("/vms"),
                Map.of(
                    "name", "v", "nics", List.of(Map.of("subnetId", web, "addressing", "BOGUS")))),
        400,
        "nics[0].addressing");
    assertProblem(
        t.api().post(t.path("/vms"), Map.of("name", "v", "nics", List.of())), 400, "nics");
  }

  @Test
  void conflictsAreFourOhNineAndRefusedChangesLeaveNothingBehind() {
    TenantSession t = signUp();
    String net = networkOf(t, "prod");
    assertProblem(t.api().post(t.path("/vm-networks"), Map.of("name", "prod")), 409, "name");
    String web = subnet(t, net, "web", "10.0.0.0/24").id();
    assertProblem(subnet(t, net, "web2", "10.0.0.128/25"), 409, "cidr");
    assertProblem(subnet(t, net, "web", "10.1.0.0/24"), 409, "name");
    assertProblem(t.api().delete(t.path("/vm-networks/" + net)), 409, "vmNetworkId");

    Map<String, Object> nic5 =
        Map.of("subnetId", web, "addressing", "STATIC", "address", "10.0.0.5");
    assertThat(t.api().post(t.path("/vms"), Map.of("name", "a", "nics", List.of(nic5))).status())
        .isEqualTo(201);
    // The second vNIC clashes: the first one's address must not stay allocated.
    Map<String, Object> nic6 =
        Map.of("subnetId", web, "addressing", "STATIC", "address", "10.0.0.6");
    assertProblem(
        t.api().post(t.path("/vms"), Map.of("name", "b", "nics", List.of(nic6, nic5))), 409, null);
    assertThat(t.api().get(t.path("/vms")).body().size()).isEqualTo(1);
    assertThat(t.api().post(t.path("/vms"), Map.of("name", "b", "nics", List.of(nic6))).status())
        .as("10.0.0.6 was released with the refused VM")
        .isEqualTo(201);
    assertProblem(t.api().delete(t.path("/subnets/" + web)), 409, "subnetId");

    assertThat(
            operator
                .put(
                    t.path("/quotas"),
                    Map.of("vmNetworks", 1, "subnets", 5, "vms", 2, "vnics", 4, "publicIps", 0))
                .status())
        .isEqualTo(200);
    assertProblem(t.api().post(t.path("/vm-networks"), Map.of("name", "second")), 409, "quota");
    assertProblem(
        t.api()
            .post(
                t.path("/vms"),
                Map.of(
                    "name", "c", "nics", List.of(Map.of("subnetId", web, "addressing", "DHCP")))),
        409,
        "quota");
  }

  @Test
  void twoTenantsWithIdenticalCidrsNeverSeeEachOther() {
    TenantSession a = signUp();
    TenantSession b = signUp();
    String netA = networkOf(a, "prod");
    String netB = networkOf(b, "prod");
    ApiClient.Response subA = subnet(a, netA, "web", "10.0.0.0/24");
    ApiClient.Response subB = subnet(b, netB, "web", "10.0.0.0/24");
    assertThat(subA.status()).isEqualTo(201);
    assertThat(subB.status()).isEqualTo(201);
    assertThat(subA.body().path("vsid").asInt()).isNotEqualTo(subB.body().path("vsid").asInt());
    Map<String, Object> nic =
        Map.of("subnetId", subB.id(), "addressing", "STATIC", "address", "10.0.0.5");
    String vmB = b.api().post(b.path("/vms"), Map.of("name", "db", "nics", List.of(nic))).id();
    String rangeB =
        b.api()
            .post(
                b.path("/subnets/" + subB.id() + "/dhcp-ranges"),
                Map.of("start", "10.0.0.100", "end", "10.0.0.110"))
            .id();
    // Same address in A's own subnet is fine: CA spaces overlap.
    Map<String, Object> nicA =
        Map.of("subnetId", subA.id(), "addressing", "STATIC", "address", "10.0.0.5");
    assertThat(a.api().post(a.path("/vms"), Map.of("name", "db", "nics", List.of(nicA))).status())
        .isEqualTo(201);

    // A attacks B: by B's tenant path and by B's object ids under A's own path.
    for (String path :
        List.of(
            b.path(""),
            b.path("/vm-networks"),
            b.path("/vm-networks/" + netB),
            b.path("/subnets/" + subB.id()),
            b.path("/vms/" + vmB),
            a.path("/vm-networks/" + netB),
            a.path("/subnets/" + subB.id()),
            a.path("/dhcp-ranges/" + rangeB),
            a.path("/vms/" + vmB))) {
      assertProblem(a.api().get(path), 404, null);
      boolean deletable = !path.endsWith("/vm-networks") && !path.equals(b.path(""));
      assertProblem(a.api().delete(path), deletable ? 404 : 405, null);
    }
    assertProblem(a.api().put(a.path("/vm-networks/" + netB), Map.of("name", "mine")), 404, null);
    assertProblem(a.api().put(b.path("/vms/" + vmB), Map.of("name", "mine")), 404, null);
    assertProblem(a.api().post(b.path("/vm-networks"), Map.of("name", "x")), 404, null);
    Map<String, Object> stolen = Map.of("subnetId", subB.id(), "addressing", "DHCP");
    assertProblem(
        a.api().post(a.path("/vms"), Map.of("name", "spy", "nics", List.of(stolen))),
        404,
        "subnetId");
    assertThat(b.api().get(b.path("/vms/" + vmB)).text("name")).isEqualTo("db");
    assertThat(a.api().get("/api/v1/tenants").body().size()).isEqualTo(1);
  }

  @Test
  void tenantUsersCannotDoOperatorThings() {
    TenantSession t = signUp();
    ApiClient.Response added =
        t.api()
            .post(
                t.path("/users"),
                Map.of(
                    "email",
                    "member@" + t.email().split("@")[1] + ".x",
                    "password",
                    "member passphrase 7",
                    "role",
                    "TENANT_MEMBER"));
    assertThat(added.status()).as(added.toString()).isEqualTo(201);
    ApiClient member = ApiClient.basic(port(), added.text("username"), "member passphrase 7");
    assertThat(member.get(t.path("/vm-networks")).status()).isEqualTo(200);
    assertProblem(member.get("/api/v1/hosts"), 403, null);
    assertProblem(
        member.post(
            t.path("/users"), Map.of("email", "x@y.example", "password", "another passphrase 9")),
        403,
        null);
    assertProblem(t.api().get("/api/v1/hosts"), 403, null);
    assertProblem(t.api().get("/api/v1/vms"), 403, null);
    assertProblem(t.api().get("/api/v1/logical-networks"), 403, null);
    assertProblem(
        t.api().post("/api/v1/logical-networks", Map.of("name", "x", "paCidr", "192.168.0.0/24")),
        403,
        null);
    assertProblem(
        t.api()
            .put(
                t.path("/quotas"),
                Map.of("vmNetworks", 99, "subnets", 99, "vms", 99, "vnics", 99, "publicIps", 9)),
        403,
        null);
    assertProblem(t.api().post(t.path("/suspend"), null), 403, null);
    assertProblem(t.api().get("/api/v1/audit"), 403, null);
    assertThat(anonymous.get("/api/v1/hosts").status()).isEqualTo(401);
  }

  @Test
  void operatorsRegisterHostsSeePlacementAndMigrate() {
    String ln =
        operator
            .post(
                "/api/v1/logical-networks",
                Map.of(
                    "name",
                    "site-" + UUID.randomUUID().toString().substring(0, 6),
                    "paCidr",
                    "192.168.10.0/24"))
            .id();
    ApiClient.Response h1 =
        operator.post(
            "/api/v1/hosts",
            Map.of(
                "name",
                "h-" + UUID.randomUUID().toString().substring(0, 6),
                "logicalNetworkId",
                ln,
                "vmSlots",
                1));
    assertThat(h1.status()).as(h1.toString()).isEqualTo(201);
    assertThat(h1.text("agentToken")).startsWith("weft-agent-");
    assertThat(h1.body().path("host").path("state").asString()).isEqualTo("REGISTERING");
    String host1 = h1.body().path("host").path("id").asString();
    String host2 =
        operator
            .post(
                "/api/v1/hosts",
                Map.of(
                    "name",
                    "h-" + UUID.randomUUID().toString().substring(0, 6),
                    "logicalNetworkId",
                    ln,
                    "providerAddress",
                    "192.168.10.200"))
            .body()
            .path("host")
            .path("id")
            .asString();
    assertProblem(
        operator.post(
            "/api/v1/hosts",
            Map.of("name", "dup", "logicalNetworkId", ln, "providerAddress", "192.168.10.200")),
        409,
        null);
    assertThat(operator.put("/api/v1/hosts/" + host1 + "/state", Map.of("state", "READY")).status())
        .isEqualTo(200);

    TenantSession t = signUp();
    String web = subnet(t, networkOf(t, "prod"), "web", "10.0.0.0/24").id();
    String vm =
        t.api()
            .post(t.path("/vms"), Map.of("name", "vm1", "nics", List.of(Map.of("subnetId", web))))
            .id();
    ApiClient.Response seen = operator.get(t.path("/vms/" + vm));
    assertThat(seen.body().path("state").asString()).isEqualTo("RUNNING");
    assertThat(seen.body().path("placement").path("hostId").asString()).isEqualTo(host1);

    assertProblem(
        operator.post("/api/v1/vms/" + vm + "/migrate", Map.of("hostId", host2)), 409, "hostId");
    operator.put("/api/v1/hosts/" + host2 + "/state", Map.of("state", "READY"));
    ApiClient.Response moved =
        operator.post("/api/v1/vms/" + vm + "/migrate", Map.of("hostId", host2));
    assertThat(moved.body().path("placement").path("hostId").asString())
        .as(moved.toString())
        .isEqualTo(host2);
    assertProblem(operator.delete("/api/v1/hosts/" + host2), 409, "hostId");
    assertThat(
            operator.put("/api/v1/hosts/" + host2 + "/state", Map.of("state", "DRAINING")).status())
        .isEqualTo(200);
    assertThat(
            operator.get(t.path("/vms/" + vm)).body().path("placement").path("hostId").asString())
        .as("draining moved the VM back to the host with room")
        .isEqualTo(host1);
    assertThat(operator.get("/api/v1/audit?limit=50").body().toString())
        .contains("vm.migrate")
        .contains("host.register");
  }

  @Test
  void providerAddressPoolExhaustionIsAClearConflict() {
    String ln =
        operator
            .post(
                "/api/v1/logical-networks",
                Map.of(
                    "name",
                    "tiny-" + UUID.randomUUID().toString().substring(0, 6),
                    "paCidr",
                    "172.16.0.0/30",
                    "encapsulation",
                    "VXLAN"))
            .id();
    for (int i = 0; i < 2; i++) {
      assertThat(
              operator
                  .post(
                      "/api/v1/hosts",
                      Map.of(
                          "name",
                          "t-" + UUID.randomUUID().toString().substring(0, 8),
                          "logicalNetworkId",
                          ln))
                  .status())
          .isEqualTo(201);
    }
    assertProblem(
        operator.post(
            "/api/v1/hosts",
            Map.of(
                "name",
                "t-" + UUID.randomUUID().toString().substring(0, 8),
                "logicalNetworkId",
                ln)),
        409,
        null);
    assertProblem(
        operator.post(
            "/api/v1/logical-networks",
            Map.of("name", "bad", "paCidr", "172.16.0.0/30", "encapsulation", "GENEVE")),
        400,
        "encapsulation");
    assertProblem(
        operator.post(
            "/api/v1/logical-networks",
            Map.of("name", "bad", "paCidr", "172.16.0.0/30", "mtu", 100)),
        400,
        "mtu");
    assertProblem(operator.delete("/api/v1/logical-networks/" + ln), 409, "logicalNetworkId");
  }

  @Test
  void aRotatedAgentTokenReplacesTheOldOne() {
    String ln =
        operator
            .post(
                "/api/v1/logical-networks",
                Map.of(
                    "name",
                    "rot-" + UUID.randomUUID().toString().substring(0, 6),
                    "paCidr",
                    "172.17.0.0/24"))
            .id();
    ApiClient.Response host =
        operator.post(
            "/api/v1/hosts",
            Map.of(
                "name",
                "r-" + UUID.randomUUID().toString().substring(0, 8),
                "logicalNetworkId",
                ln));
    String id = host.body().path("host").path("id").asString();
    String table = "/api/v1/agent/table?since=0&wait=0";
    ApiClient agent = ApiClient.bearer(port(), host.text("agentToken"));
    assertThat(agent.get(table).status()).as("the first token").isEqualTo(200);
    ApiClient.Response rotated = operator.post("/api/v1/hosts/" + id + "/token", null);
    assertThat(rotated.status()).isEqualTo(200);
    assertThat(rotated.text("agentToken"))
        .startsWith("weft-agent-")
        .isNotEqualTo(host.text("agentToken"));
    assertThat(agent.get(table).status()).as("the old token, at once").isEqualTo(401);
    assertThat(ApiClient.bearer(port(), rotated.text("agentToken")).get(table).status())
        .isEqualTo(200);
    assertThat(operator.get("/api/v1/audit?limit=20").body().toString())
        .contains("host.rotate-token");
  }

  @Test
  void personalApiTokensActAsTheirOwnerUntilRevoked() {
    TenantSession t = signUp();
    ApiClient.Response issued = t.api().post("/api/v1/me/tokens", Map.of("name", "ci"));
    assertThat(issued.status()).isEqualTo(201);
    String secret = issued.text("secret");
    ApiClient script = ApiClient.bearer(port(), secret);
    assertThat(script.get(t.path("/vm-networks")).status()).isEqualTo(200);
    assertThat(t.api().get("/api/v1/me/tokens").body().toString()).doesNotContain(secret);
    String id = issued.body().path("token").path("id").asString();
    assertThat(t.api().delete("/api/v1/me/tokens/" + id).status()).isEqualTo(204);
    assertThat(script.get(t.path("/vm-networks")).status()).isEqualTo(401);
    assertThat(ApiClient.bearer(port(), "weft-token-forged").get("/api/v1/me").status())
        .isEqualTo(401);
  }

  @Test
  void aRetriedCreateWithTheSameIdempotencyKeyAllocatesOnce() {
    TenantSession t = signUp();
    String web = subnet(t, networkOf(t, "prod"), "web", "10.0.0.0/24").id();
    Map<String, Object> vm =
        Map.of(
            "name",
            "vm1",
            "nics",
            List.of(Map.of("subnetId", web, "addressing", "STATIC", "address", "10.0.0.9")));
    ApiClient.Response first = t.api().postIdempotent(t.path("/vms"), vm, "create-vm1");
    ApiClient.Response retry = t.api().postIdempotent(t.path("/vms"), vm, "create-vm1");
    assertThat(first.status()).isEqualTo(201);
    assertThat(retry.status()).isEqualTo(201);
    assertThat(retry.id()).isEqualTo(first.id());
    assertThat(t.api().get(t.path("/vms")).body().size()).isEqualTo(1);
    Map<String, Object> other =
        Map.of("name", "vm2", "nics", List.of(Map.of("subnetId", web, "addressing", "DHCP")));
    assertProblem(
        t.api().postIdempotent(t.path("/vms"), other, "create-vm1"), 422, "Idempotency-Key");
    // Another caller's identical key is its own.
    TenantSession u = signUp();
    String webU = subnet(u, networkOf(u, "prod"), "web", "10.0.0.0/24").id();
    Map<String, Object> vmU =
        Map.of("name", "vm1", "nics", List.of(Map.of("subnetId", webU, "addressing", "DHCP")));
    assertThat(u.api().postIdempotent(u.path("/vms"), vmU, "create-vm1").id())
        .isNotEqualTo(first.id());
  }

  @Test
  void operatorsAdmitExternalHostsAndTenantsCannotSeeThem() {
    String tag = UUID.randomUUID().toString().substring(0, 6);
    String ln =
        operator
            .post(
                "/api/v1/logical-networks",
                Map.of("name", "ext-" + tag, "paCidr", "192.168.77.0/24", "encapsulation", "VXLAN"))
            .id();
    TenantSession t = signUp();
    String web = subnet(t, networkOf(t, "prod"), "web", "10.0.0.0/24").id();
    Map<String, Object> machine =
        Map.of("subnetId", web, "address", "10.0.0.40", "mac", "52:54:00:12:34:56");
    ApiClient.Response created =
        operator.post(
            "/api/v1/external-hosts",
            Map.of(
                "name",
                "ovs-" + tag,
                "logicalNetworkId",
                ln,
                "providerAddress",
                "192.168.77.9",
                "machines",
                List.of(machine)));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.text("encapsulation")).isEqualTo("VXLAN");
    assertThat(created.body().path("machines").path(0).path("address").asString())
        .isEqualTo("10.0.0.40");
    String id = created.id();

    // Bad input: a 4xx naming the field, nothing written.
    assertProblem(
        operator.post(
            "/api/v1/external-hosts",
            Map.of("name", "x-" + tag, "logicalNetworkId", ln, "providerAddress", "10.1.1.1")),
        400,
        "providerAddress");
    assertProblem(
        operator.post(
            "/api/v1/external-hosts",
            Map.of("name", "x-" + tag, "logicalNetworkId", ln, "providerAddress", "192.168.77.9")),
        409,
        "providerAddress");
    assertProblem(
        operator.post(
            "/api/v1/external-hosts",
            Map.of("name", "x-" + tag, "logicalNetworkId", ln, "providerAddress", "not-an-ip")),
        400,
        "providerAddress");
    assertProblem(
        operator.post("/api/v1/external-hosts", Map.of("logicalNetworkId", ln)), 400, "name");
    assertProblem(
        operator.post(
            "/api/v1/external-hosts/" + id + "/machines",
            Map.of("subnetId", web, "address", "10.0.0.40", "mac", "52:54:00:00:00:02")),
        409,
        "address");
    assertProblem(
        operator.post(
            "/api/v1/external-hosts/" + id + "/machines",
            Map.of("subnetId", web, "address", "10.0.0.41", "mac", "ff:ff:ff:ff:ff:ff")),
        400,
        "mac");
    assertProblem(
        operator.post(
            "/api/v1/external-hosts/" + UUID.randomUUID() + "/machines",
            Map.of("subnetId", web, "address", "10.0.0.41", "mac", "52:54:00:00:00:02")),
        404,
        "externalHostId");
    assertProblem(operator.get("/api/v1/external-hosts/nope"), 404, "externalHostId");
    assertThat(operator.get("/api/v1/external-hosts/" + id).body().path("machines").size())
        .isEqualTo(1);

    // A tenant, even the owner of the subnet, neither sees nor changes external hosts.
    assertThat(t.api().get("/api/v1/external-hosts").status()).isEqualTo(403);
    assertThat(t.api().get("/api/v1/external-hosts/" + id).status()).isEqualTo(403);
    assertThat(t.api().delete("/api/v1/external-hosts/" + id).status()).isEqualTo(403);
    assertThat(
            t.api()
                .post(
                    "/api/v1/external-hosts",
                    Map.of(
                        "name",
                        "t-" + tag,
                        "logicalNetworkId",
                        ln,
                        "providerAddress",
                        "192.168.77.10"))
                .status())
        .isEqualTo(403);
    assertThat(anonymous.get("/api/v1/external-hosts").status()).isEqualTo(401);
    // ...and the subnet a machine sits in cannot be deleted under it.
    assertProblem(t.api().delete(t.path("/subnets/" + web)), 409, "subnetId");

    ApiClient.Response second =
        operator.post(
            "/api/v1/external-hosts/" + id + "/machines",
            Map.of("subnetId", web, "address", "10.0.0.41", "mac", "52:54:00:00:00:02"));
    assertThat(second.status()).as(second.toString()).isEqualTo(201);
    assertThat(
            operator.delete("/api/v1/external-hosts/" + id + "/machines/" + second.id()).status())
        .isEqualTo(204);
    assertThat(operator.delete("/api/v1/external-hosts/" + id).status()).isEqualTo(204);
    assertThat(operator.get("/api/v1/external-hosts/" + id).status()).isEqualTo(404);
    ApiClient.Response audit = operator.get("/api/v1/audit?limit=50");
    assertThat(audit.body().toString())
        .contains("external-host.register")
        .contains("external-host.machine.add")
        .contains("external-host.machine.remove")
        .contains("external-host.delete");
  }

  @Test
  void theOpenApiDocumentDescribesTheApi() {
    ApiClient.Response doc = anonymous.get("/v3/api-docs");
    assertThat(doc.status()).isEqualTo(200);
    assertThat(doc.body().path("paths").has("/api/v1/tenants/{tenantId}/vms")).isTrue();
    assertThat(doc.body().path("paths").has("/api/v1/signup")).isTrue();
  }
}
