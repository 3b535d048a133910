package io.weft.portal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.agent.AgentStatus;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.TableJson;
import io.weft.dataplane.table.TableMessage;
import io.weft.fabric.Caller;
import io.weft.fabric.HostId;
import io.weft.fabric.HostService;
import io.weft.fabric.HostState;
import io.weft.fabric.NetworkService;
import io.weft.fabric.NewDhcpRange;
import io.weft.fabric.NewHost;
import io.weft.fabric.NewLogicalNetwork;
import io.weft.fabric.NewSubnet;
import io.weft.fabric.NewVm;
import io.weft.fabric.NewVnic;
import io.weft.fabric.RegisteredHost;
import io.weft.fabric.SignupRequest;
import io.weft.fabric.Subnet;
import io.weft.fabric.TenantId;
import io.weft.fabric.TenantService;
import io.weft.fabric.Vm;
import io.weft.fabric.VmService;
import io.weft.fabric.identity.AccountId;
import io.weft.fabric.identity.Role;
import io.weft.fabric.tables.HostTableService;
import io.weft.portal.H2ApplicationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The agent endpoints over real HTTP: protocol, long-poll wake-up, and who gets in. */
@H2ApplicationTest
class AgentEndpointsTest {

  static final Caller OPERATOR =
      new Caller(new AccountId(UUID.randomUUID()), "op", Role.OPERATOR, Optional.empty());

  @LocalServerPort int port;
  @Autowired HostService hosts;
  @Autowired TenantService tenants;
  @Autowired NetworkService networks;
  @Autowired VmService vms;
  @Autowired HostTableService tables;

  final HttpClient http = HttpClient.newHttpClient();
  RegisteredHost host;
  String tag;

  @BeforeEach
  void register() {
    tag = UUID.randomUUID().toString().substring(0, 8);
    String ln =
        hosts
            .createLogicalNetwork(
                OPERATOR, new NewLogicalNetwork("agent-ln-" + tag, "10.77.0.0/16", "VXLAN", 1550))
            .id()
            .toString();
    host = hosts.registerHost(OPERATOR, new NewHost("agent-h-" + tag, ln, null, 16));
  }

  @Test
  void theCountersOfAHostWithManyPortsAreKeptWhole() throws Exception {
    StringBuilder ports = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      ports
          .append(i == 0 ? "" : ",")
          .append("\"port-")
          .append(i)
          .append("\":{\"fromVm\":123456,\"toVm\":654321,\"drops\":{\"SPOOFED_SOURCE\":7}}");
    }
    String counters = "{\"drops\":{\"STORM\":3},\"ports\":{" + ports + "}}";
    String status =
        "{\"formatVersion\":1,\"hostId\":\""
            + host.host().id()
            + "\",\"generation\":0,\"digest\":\"x\",\"lastRejection\":null,\"leases\":[],"
            + "\"counters\":"
            + counters
            + "}";
    assertThat(post("/api/v1/agent/status", status, bearer()).statusCode()).isEqualTo(204);

    String stored = tables.lastReport(OPERATOR, host.host().id()).orElseThrow().countersJson();
    assertThat(stored.length()).as("500 ports of counters").isGreaterThan(30_000);
    assertThat(TableJson.mapper().readTree(stored))
        .isEqualTo(TableJson.mapper().readTree(counters));
  }

  @Test
  void theStateOfTheUnderlayInterfaceIsKeptAndABadOneRefused() throws Exception {
    String underlay =
        "{\"interfaceName\":\"eth1\",\"expectedPa\":\"192.168.100.8\","
            + "\"addresses\":[\"192.168.100.9/24\"],\"paConfigured\":false,"
            + "\"problem\":\"the PA 192.168.100.8 is not configured on eth1\"}";
    String status =
        "{\"formatVersion\":1,\"hostId\":\""
            + host.host().id()
            + "\",\"generation\":0,\"digest\":\"x\",\"leases\":[],\"underlay\":";
    assertThat(post("/api/v1/agent/status", status + underlay + "}", bearer()).statusCode())
        .isEqualTo(204);
    String stored = tables.lastReport(OPERATOR, host.host().id()).orElseThrow().underlayJson();
    assertThat(TableJson.mapper().readTree(stored))
        .isEqualTo(TableJson.mapper().readTree(underlay));

    HttpResponse<String> bad = post("/api/v1/agent/status", status + "\"eth1\"}", bearer());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("underlay");
  }

  /**
   * Either long-poll is a sign of life (TABLE-FORMAT.md, "Liveness"): the host shows as seen
   * without any status report, once the replica wrote its sightings (every 5 s).
   */
  @Test
  void eitherLongPollMakesTheHostSeenWithoutAStatusReport() throws Exception {
    HostId id = host.host().id();
    assertThat(get("/api/v1/agent/commands?wait=0", bearer()).statusCode()).isEqualTo(204);
    awaitSeen(id);
    assertThat(tables.lastReport(OPERATOR, id)).as("it never reported").isEmpty();

    register();
    HostId other = host.host().id();
    assertThat(get("/api/v1/agent/table?since=0&wait=0", bearer()).statusCode()).isEqualTo(200);
    awaitSeen(other);
    assertThat(tables.lastReport(OPERATOR, other)).isEmpty();
  }

  private void awaitSeen(HostId id) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (hosts.getHost(OPERATOR, id).lastSeenAt() == null && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(hosts.getHost(OPERATOR, id).lastSeenAt()).as("seen through its poll").isNotNull();
  }

  @Test
  void snapshotThenNothingThenStatusMakesHostReady() throws Exception {
    HttpResponse<String> first = get("/api/v1/agent/table?since=0&wait=0", bearer());
    assertThat(first.statusCode()).isEqualTo(200);
    TableMessage m = TableJson.read(first.body());
    assertThat(m).isInstanceOf(TableMessage.Snapshot.class);
    HostTable t = ((TableMessage.Snapshot) m).table();
    assertThat(t.hostId()).isEqualTo(host.host().id().toString());
    assertThat(t.overlayMtu()).isEqualTo(1500);

    assertThat(
            get("/api/v1/agent/table?since=" + t.generation() + "&wait=0", bearer()).statusCode())
        .isEqualTo(204);

    String status =
        TableJson.mapper()
            .writeValueAsString(
                AgentStatus.applied(
                    host.host().id().toString(), t.generation(), TableJson.digest(t)));
    assertThat(post("/api/v1/agent/status", status, bearer()).statusCode()).isEqualTo(204);
    assertThat(hosts.getHost(OPERATOR, host.host().id()).state()).isEqualTo(HostState.READY);
    assertThat(hosts.getHost(OPERATOR, host.host().id()).appliedGeneration())
        .isEqualTo(t.generation());
  }

  @Test
  void longPollWakesOnCommitAndLeaseAssignsAddress() throws Exception {
    long generation = generationNow();
    hosts.setHostState(OPERATOR, host.host().id(), HostState.READY);
    TenantSubnet ts = tenantWithSubnet("ag");
    TenantId tenant = ts.tenant();
    Caller admin = ts.admin();
    Subnet s = ts.subnet();
    networks.addDhcpRange(
        admin, tenant, s.id(), new NewDhcpRange("10.9.0.100", "10.9.0.150", 3600, List.of()));

    CompletableFuture<HttpResponse<String>> poll =
        http.sendAsync(
            request("/api/v1/agent/table?since=" + generation + "&wait=20", bearer()).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    Thread.sleep(300);
    long t0 = System.nanoTime();
    Vm vm =
        vms.createVm(
            admin, tenant, new NewVm("v", List.of(new NewVnic(s.id().toString(), "DHCP", null))));
    Vm placed = vms.getVm(OPERATOR, tenant, vm.id());
    if (!placed.placement().orElseThrow().hostId().equals(host.host().id())) {
      vms.migrate(OPERATOR, vm.id(), host.host().id());
    }
    HttpResponse<String> woken = poll.get();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(woken.statusCode()).isEqualTo(200);
    assertThat(ms).as("long-poll woke after %d ms", ms).isLessThan(5000);
    assertThat(TableJson.read(woken.body())).isInstanceOf(TableMessage.Delta.class);

    String vnic = vm.nics().getFirst().id().toString();
    HttpResponse<String> lease =
        post("/api/v1/agent/leases", "{\"portId\":\"" + vnic + "\"}", bearer());
    assertThat(lease.statusCode()).as(lease.body()).isEqualTo(200);
    assertThat(lease.body()).contains("10.9.0.1");
  }

  @Test
  void aLeaseFallsThroughToTheSubnetsNextDhcpRange() throws Exception {
    hosts.setHostState(OPERATOR, host.host().id(), HostState.READY);
    TenantSubnet ts = tenantWithSubnet("rg");
    TenantId tenant = ts.tenant();
    Caller admin = ts.admin();
    Subnet s = ts.subnet();
    networks.addDhcpRange(
        admin, tenant, s.id(), new NewDhcpRange("10.9.0.100", "10.9.0.100", 3600, List.of()));
    networks.addDhcpRange(
        admin, tenant, s.id(), new NewDhcpRange("10.9.0.200", "10.9.0.209", 3600, List.of()));

    List<String> leased = new ArrayList<>();
    for (String name : List.of("first", "second")) {
      Vm vm =
          vms.createVm(
              admin,
              tenant,
              new NewVm(name, List.of(new NewVnic(s.id().toString(), "DHCP", null))));
      if (!vms.getVm(OPERATOR, tenant, vm.id())
          .placement()
          .orElseThrow()
          .hostId()
          .equals(host.host().id())) {
        vms.migrate(OPERATOR, vm.id(), host.host().id());
      }
      String vnic = vm.nics().getFirst().id().toString();
      HttpResponse<String> lease =
          post("/api/v1/agent/leases", "{\"portId\":\"" + vnic + "\"}", bearer());
      assertThat(lease.statusCode()).as(lease.body()).isEqualTo(200);
      leased.add(TableJson.mapper().readTree(lease.body()).path("address").asString());
    }

    // The first range holds one address; the second VM's lease comes from the next range.
    assertThat(leased).containsExactly("10.9.0.100", "10.9.0.200");
  }

  @Test
  void onlyTheHostTokenGetsIn() throws Exception {
    String table = "/api/v1/agent/table?since=0&wait=0";
    HttpResponse<String> none = get(table, null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
    assertThat(get(table, "Bearer weft-agent-not-a-real-token").statusCode()).isEqualTo(401);
    assertThat(get(table, "Bearer ").statusCode()).isEqualTo(401);
    String operatorBasic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    ("admin:" + H2ApplicationTest.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    assertThat(get(table, operatorBasic).statusCode()).isIn(401, 403);
    tenants.signup(new SignupRequest("T " + tag, "t-" + tag + "@x.example", "Password-123456"));
    String tenantBasic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    ("t-" + tag + "@x.example:Password-123456").getBytes(StandardCharsets.UTF_8));
    assertThat(get(table, tenantBasic).statusCode()).isIn(401, 403);
    // Another host's claim in the body is refused even with a valid token.
    String forged = "{\"hostId\":\"" + HostId.random() + "\",\"generation\":1}";
    HttpResponse<String> other = post("/api/v1/agent/status", forged, bearer());
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(other.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
    assertThat(get("/api/v1/agent/table?since=-1", bearer()).statusCode()).isEqualTo(400);
  }

  /** A new tenant, its admin, and a subnet 10.9.0.0/24 in a VM network of its own. */
  private record TenantSubnet(TenantId tenant, Caller admin, Subnet subnet) {}

  private TenantSubnet tenantWithSubnet(String prefix) {
    TenantId tenant =
        tenants
            .signup(
                new SignupRequest(
                    prefix + " " + tag, prefix + "-" + tag + "@x.example", "Password-123456"))
            .id();
    Caller admin =
        new Caller(new AccountId(UUID.randomUUID()), "t", Role.TENANT_ADMIN, Optional.of(tenant));
    var net = networks.createVmNetwork(admin, tenant, "n");
    Subnet subnet =
        networks.createSubnet(
            admin, tenant, net.id(), new NewSubnet("s", "10.9.0.0/24", null, List.of()));
    return new TenantSubnet(tenant, admin, subnet);
  }

  private long generationNow() throws Exception {
    HttpResponse<String> r = get("/api/v1/agent/table?since=0&wait=0", bearer());
    return TableJson.read(r.body()).generation();
  }

  private String bearer() {
    return "Bearer " + host.agentToken();
  }

  private HttpRequest.Builder request(String path, String authorization) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .timeout(Duration.ofSeconds(30));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b;
  }

  private HttpResponse<String> get(String path, String authorization) throws Exception {
    return http.send(
        request(path, authorization).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body, String authorization)
      throws Exception {
    return http.send(
        request(path, authorization)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
