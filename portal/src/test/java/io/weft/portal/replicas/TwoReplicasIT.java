package io.weft.portal.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.agent.TableClient;
import io.weft.portal.BrowserSession;
import io.weft.testkit.PostgresTestDatabase;
import io.weft.testkit.ReplicaProcess;
import io.weft.testkit.TwoReplicaLauncher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;

/**
 * Two replicas (own JVMs, the packaged jar) on one PostgreSQL behind HAProxy with TLS, as the
 * README's multi-host deployment runs: races across replicas, long-polls woken by the other
 * replica, a replica stopped for an upgrade, a replica killed, and a browser that signs in again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoReplicasIT {

  private TwoReplicaLauncher cloud;
  private BalancedApi operator;
  private HttpClient http;

  @BeforeEach
  void launch() {
    cloud = TwoReplicaLauncher.shared();
    http = cloud.httpClient();
    operator =
        BalancedApi.basic(http, cloud.balancer(), "admin", TwoReplicaLauncher.ADMIN_PASSWORD);
  }

  @Test
  void readinessAndMetricsAreServedOnEachReplicasManagementPortMetricsOnlyToOperators()
      throws Exception {
    HttpClient plain = HttpClient.newHttpClient();
    for (ReplicaProcess r : cloud.replicas()) {
      assertThat(statusOf(plain, r.managementUrl().resolve("/actuator/health/readiness")))
          .as(r.name() + " readiness on its management port")
          .isEqualTo(200);
      assertThat(statusOf(plain, r.managementUrl().resolve("/actuator/prometheus")))
          .as(r.name() + " metrics without credentials")
          .isEqualTo(401);
    }
  }

  private static int statusOf(HttpClient client, URI uri) throws Exception {
    return client
        .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** A tenant with a VM network and a subnet whose static range numbers new vNICs. */
  private record Tenant(BalancedApi api, String id, String subnetId) {}

  private Tenant newTenant(String cidrPrefix) {
    String email = "t-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    String password = "Tenant-password-123";
    String id =
        operator
            .post(
                "/api/v1/signup",
                Map.of("organization", "Org " + email, "adminEmail", email, "password", password))
            .path("id")
            .asString();
    BalancedApi api = operator.as(email, password);
    String net =
        api.post("/api/v1/tenants/" + id + "/vm-networks", Map.of("name", "n"))
            .path("id")
            .asString();
    String subnet =
        api.post(
                "/api/v1/tenants/" + id + "/vm-networks/" + net + "/subnets",
                Map.of(
                    "name",
                    "s",
                    "cidr",
                    cidrPrefix + ".0/24",
                    "staticRange",
                    Map.of("start", cidrPrefix + ".10", "end", cidrPrefix + ".250")))
            .path("id")
            .asString();
    return new Tenant(api, id, subnet);
  }

  private static Map<String, Object> vm(String name, String subnetId) {
    return Map.of(
        "name", name, "nics", List.of(Map.of("subnetId", subnetId, "addressing", "STATIC")));
  }

  /** Wave 1's cloud, as {@code TwoReplicaLauncher.WAVE_1_DATABASE} describes it. */
  private static final String WAVE1_TENANT = "5252c33b-2351-4734-b663-25f6450b97b8";

  private static final String WAVE1_OTHER_TENANT = "09325056-2f5d-4f98-aa12-4f326f9c2960";
  private static final List<Host> WAVE1_HOSTS =
      List.of(
          new Host(
              "db6d4a00-7ae2-45bb-a049-82273459f627",
              "weft-agent-klYASPZZ4rMeAZtVDkV3fYRgusmWY1tDImAcfezzu30"),
          new Host(
              "de70277b-abf8-400a-a85b-d1cd102f835b",
              "weft-agent-YeH8tazVLb2Liflo0w112AA0LIg92GT6rtzHtaF6Kcw"));

  @Test
  @Order(0)
  void aCloudMadeByWave1WorksAfterTheFlywayUpgrade() throws Exception {
    assertThat(appliedMigrations())
        .as("wave 1's migrations, then today's (out of order: V230 after V501)")
        .startsWith("100", "101", "102", "103", "200", "201", "210", "211", "215", "220", "500")
        .contains("230", "240", "300", "350", "351");
    BalancedApi owner = operator.as("owner@wave1.example", "Wave1-tenant-password");
    JsonNode vms = owner.get("/api/v1/tenants/" + WAVE1_TENANT + "/vms?limit=100");
    Map<String, String> addressByName = new TreeMap<>();
    Set<String> macs = new HashSet<>();
    vms.forEach(v -> {
      addressByName.put(
          v.path("name").asString(), v.path("nics").get(0).path("address").asString());
      macs.add(v.path("nics").get(0).path("mac").asString());
    });
    assertThat(addressByName.keySet())
        .containsExactly("db-1", "db-2", "db-3", "web-1", "web-2", "web-3", "web-4", "web-5");
    assertThat(addressByName)
        .containsEntry("web-1", "10.1.0.10")
        .containsEntry("web-5", "10.1.0.14");
    // A new VM in wave 1's subnet gets an address wave 1 did not hand out (IPAM's free intervals
    // survived the upgrade), and lands on one of wave 1's hosts (the only ones).
    String front =
        StreamSupport.stream(vms.spliterator(), false)
            .filter(v -> v.path("name").asString().equals("web-1"))
            .findFirst()
            .orElseThrow()
            .path("nics")
            .get(0)
            .path("subnetId")
            .asString();
    JsonNode added =
        owner.post("/api/v1/tenants/" + WAVE1_TENANT + "/vms", vm("after-upgrade", front));
    String address = added.path("nics").get(0).path("address").asString();
    assertThat(address).startsWith("10.1.0.").isNotIn(addressByName.values());
    macs.add(added.path("nics").get(0).path("mac").asString());
    // Wave 1's other tenant (same CIDR) still sees only its own.
    BalancedApi other = operator.as("owner@other.example", "Wave1-other-password");
    assertThat(other.get("/api/v1/tenants/" + WAVE1_OTHER_TENANT + "/vms").size()).isEqualTo(1);
    assertThat(other.send("GET", "/api/v1/tenants/" + WAVE1_TENANT + "/vms", null).statusCode())
        .isIn(403, 404);
    // Wave 1's agents keep their tokens, and between them their tables hold every VM (a DHCP VM
    // without a lease is only on its own host), the new one included. Wave 1 never recorded the
    // database's identity, so the upgrade is treated like a restore: one full snapshot each, at a
    // generation past 2^32 (docs/operations.md says so).
    StringBuilder tables = new StringBuilder();
    for (Host host : WAVE1_HOSTS) {
      HttpResponse<String> snapshot = poll(cloud.balancer(), host, 8, 0);
      assertThat(snapshot.statusCode()).as(host.id()).isEqualTo(200);
      assertThat(snapshot.body()).contains("\"kind\":\"snapshot\"");
      assertThat(generation(snapshot)).isGreaterThan(1L << 32);
      tables.append(snapshot.body());
      assertThat(report(host, generation(snapshot)).statusCode()).isEqualTo(204);
    }
    assertThat(tables.toString()).contains(macs);
  }

  private HttpResponse<String> report(Host host, long generation) throws Exception {
    String status =
        "{\"formatVersion\":1,\"hostId\":\"%s\",\"generation\":%d,\"digest\":\"after-upgrade\"}"
            .formatted(host.id(), generation);
    return http.send(
        HttpRequest.newBuilder(cloud.balancer().resolve("/api/v1/agent/status"))
            .header("Authorization", "Bearer " + host.token())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(status))
            .build(),
        BalancedApi.bodyHandler());
  }

  private List<String> appliedMigrations() throws SQLException {
    PostgresTestDatabase db = cloud.database();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT version FROM flyway_schema_history WHERE success"
                        + " ORDER BY installed_rank")) {
      List<String> versions = new ArrayList<>();
      while (rs.next()) {
        versions.add(rs.getString(1));
      }
      return versions;
    }
  }

  @Test
  @Order(1)
  void concurrentCreatesThroughTheBalancerHandOutEachAddressOnce() throws Exception {
    Tenant t = newTenant("10.77.0");
    int vms = 40;
    List<Future<JsonNode>> created = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (int i = 0; i < vms; i++) {
        String name = "race-" + i;
        created.add(
            pool.submit(
                () -> t.api().post("/api/v1/tenants/" + t.id() + "/vms", vm(name, t.subnetId()))));
      }
    }
    Set<String> addresses = new HashSet<>();
    for (Future<JsonNode> f : created) {
      addresses.add(f.get().path("nics").get(0).path("address").asString());
    }
    assertThat(addresses).hasSize(vms).allMatch(a -> a.startsWith("10.77.0."));
    // Round robin spread the creates over both replicas (each counts the requests it served).
    for (ReplicaProcess r : cloud.replicas()) {
      assertThat(vmCreatesServedBy(r)).as(r.name()).isPositive();
    }
  }

  private double vmCreatesServedBy(ReplicaProcess replica) {
    String metrics = operator.at(replica.managementUrl()).text("/actuator/prometheus");
    return metrics
        .lines()
        .filter(l -> l.startsWith("http_server_requests_seconds_count{"))
        .filter(l ->
            l.contains("method=\"POST\"") && l.contains("uri=\"/api/v1/tenants/{tenantId}/vms\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /**
   * A registered, READY host and its agent token. It has room for every VM the other tests left
   * waiting for a host (they are placed on it when it turns ready) and for the ones a test adds.
   */
  private record Host(String id, String token) {}

  private Host newHost() {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    String ln =
        operator
            .post(
                "/api/v1/logical-networks",
                Map.of("name", "ln-" + tag, "paCidr", "10.210.0.0/16", "encapsulation", "VXLAN"))
            .path("id")
            .asString();
    JsonNode registered =
        operator.post(
            "/api/v1/hosts", Map.of("name", "h-" + tag, "logicalNetworkId", ln, "vmSlots", 4096));
    String id = registered.path("host").path("id").asString();
    operator.put("/api/v1/hosts/" + id + "/state", Map.of("state", "READY"));
    return new Host(id, registered.path("agentToken").asString());
  }

  private HttpResponse<String> poll(URI base, Host host, long since, int waitSeconds)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                base.resolve("/api/v1/agent/table?since=" + since + "&wait=" + waitSeconds))
            .header("Authorization", "Bearer " + host.token())
            .timeout(Duration.ofSeconds(waitSeconds + 10))
            .build();
    return http.send(request, BalancedApi.bodyHandler());
  }

  private long generation(HttpResponse<String> snapshot) {
    JsonNode message = BalancedApi.JSON.readTree(snapshot.body());
    JsonNode table = message.has("table") ? message.path("table") : message.path("delta");
    return table.has("generation")
        ? table.path("generation").asLong()
        : table.path("toGeneration").asLong();
  }

  @Test
  @Order(2)
  void aLongPollOnOneReplicaWakesForAChangeCommittedOnTheOther() throws Exception {
    Host host = newHost();
    URI first = cloud.replica(0).baseUrl();
    long generation = generation(poll(first, host, 0, 0));
    Tenant t = newTenant("10.78.0");
    CompletableFuture<HttpResponse<String>> waiting =
        CompletableFuture.supplyAsync(() -> {
          try {
            return poll(first, host, generation, 30);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    BalancedApi.sleep(Duration.ofMillis(500)); // the poll is parked on replica 1
    assertThat(waiting).isNotDone();
    BalancedApi second = t.api().at(cloud.replica(1).baseUrl());
    JsonNode vm = second.post("/api/v1/tenants/" + t.id() + "/vms", vm("woken", t.subnetId()));
    String placedOn =
        operator
            .get("/api/v1/tenants/" + t.id() + "/vms/" + vm.path("id").asString())
            .path("placement")
            .path("hostId")
            .asString();
    long committed = System.nanoTime();
    if (!host.id().equals(placedOn)) {
      // Placed elsewhere: moving it onto our host is the change our host's table sees.
      operator
          .at(cloud.replica(1).baseUrl())
          .post(
              "/api/v1/vms/" + vm.path("id").asString() + "/migrate", Map.of("hostId", host.id()));
      committed = System.nanoTime();
    }
    HttpResponse<String> woken = waiting.get(10, java.util.concurrent.TimeUnit.SECONDS);
    long latencyMs = (System.nanoTime() - committed) / 1_000_000;
    assertThat(woken.statusCode()).isEqualTo(200);
    assertThat(woken.body()).contains(vm.path("nics").get(0).path("mac").asString());
    assertThat(latencyMs).as("wake-up across replicas, ms").isLessThan(3_000);
  }

  @Test
  @Order(3)
  void aReplicaStoppedForAnUpgradeEndsItsLongPollsAndTheBalancerMovesOn() throws Exception {
    Host host = newHost();
    ReplicaProcess stopping = cloud.replica(0);
    long generation = generation(poll(stopping.baseUrl(), host, 0, 0));
    CompletableFuture<HttpResponse<String>> parked =
        CompletableFuture.supplyAsync(() -> {
          try {
            return poll(stopping.baseUrl(), host, generation, 30);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    BalancedApi.sleep(Duration.ofMillis(500));
    long started = System.nanoTime();
    CompletableFuture<Void> stop = CompletableFuture.runAsync(stopping::stop);
    HttpResponse<String> ended = parked.get(10, java.util.concurrent.TimeUnit.SECONDS);
    long endedMs = (System.nanoTime() - started) / 1_000_000;
    assertThat(ended.statusCode()).as("a drained long-poll answers 'no change'").isEqualTo(204);
    assertThat(ended.headers().firstValue(TableClient.DRAINING_HEADER))
        .as("and tells the agent to poll elsewhere after a random pause")
        .contains("true");
    assertThat(endedMs).as("long-poll ended after SIGTERM, ms").isLessThan(5_000);
    // It takes no new long-poll: one sent to it now is refused or ends at once, never parked.
    long asked = System.nanoTime();
    try {
      HttpResponse<String> late = poll(stopping.baseUrl(), host, generation, 30);
      assertThat(late.statusCode()).isIn(204, 503);
    } catch (java.io.IOException refused) {
      // the connector is closed already: the agent's retry goes through the balancer elsewhere
    }
    assertThat((System.nanoTime() - asked) / 1_000_000).as("a late poll, ms").isLessThan(3_000);
    // Meanwhile the balancer sends everything to the other replica.
    for (int i = 0; i < 10; i++) {
      assertThat(poll(cloud.balancer(), host, 0, 0).statusCode()).isEqualTo(200);
    }
    stop.get(40, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(stopping.isAlive()).isFalse();
    assertThat(stopping.logTail()).contains("Graceful shutdown complete").doesNotContain(" ERROR ");
  }

  @Test
  @Order(4)
  void aReplicaKilledMidRunLosesNoRequestAndDuplicatesNothing() throws Exception {
    Tenant t = newTenant("10.79.0");
    int total = 60;
    // The tenant's first VM lands on a host other than the agent's (an empty one is added so that
    // placement spreads the VMs below over two hosts at least); then a real agent (the data
    // plane's table client) long-polls through the balancer for a new host and the VM is moved
    // onto it: its table gets the lookup records of every VM of the network, and the migration's
    // steps are taken on its reports while the VMs below are created.
    newHost();
    String anchor =
        t.api()
            .post("/api/v1/tenants/" + t.id() + "/vms", vm("anchor", t.subnetId()))
            .path("id")
            .asString();
    Host host = newHost();
    BalancedAgent agent = BalancedAgent.start(cloud, host.id(), host.token());
    operator.post("/api/v1/vms/" + anchor + "/migrate", Map.of("hostId", host.id()));
    List<Future<Answer>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      for (int i = 0; i < total; i++) {
        String name = "survivor-" + i;
        results.add(
            pool.submit(() -> {
              BalancedApi.sleep(Duration.ofMillis(50));
              HttpResponse<String> answer =
                  t.api()
                      .send("POST", "/api/v1/tenants/" + t.id() + "/vms", vm(name, t.subnetId()));
              return new Answer(name, answer.statusCode(), answer.body());
            }));
        if (i == total / 3) {
          cloud.replica(0).kill();
        }
      }
    }
    List<Answer> answers = new ArrayList<>();
    for (Future<Answer> r : results) {
      answers.add(r.get());
    }
    JsonNode listed = t.api().get("/api/v1/tenants/" + t.id() + "/vms?limit=1000");
    Set<String> names = new HashSet<>();
    listed.forEach(v -> names.add(v.path("name").asString()));
    String notCreated =
        answers.stream().filter(a -> a.status() != 201).map(Answer::toString).toList().toString();
    for (Answer a : answers) {
      // 201, or 409 where a create the dead replica committed was resent and found its name taken;
      // any other refusal would be a request lost, whatever the listing says.
      assertThat(a.status()).as(a + "; not created: " + notCreated).isIn(201, 409);
      if (a.status() == 409) {
        assertThat(BalancedApi.JSON.readTree(a.body()).path("field").asString())
            .as("a 409 is only 'the name is taken': " + a)
            .isEqualTo("name");
      }
      assertThat(names).as("listed after " + a + "; not created: " + notCreated).contains(a.name());
    }
    assertThat(listed.size()).as("every VM exactly once").isEqualTo(total + 1);
    assertThat(names).hasSize(total + 1);
    // The agent went on through the kill: its table ends with every VM (none lost), it refused
    // nothing (a delta applied twice or skipped would not fit its generation), and it holds the
    // table the fabric describes now.
    List<String> macs = new ArrayList<>();
    listed.forEach(v -> macs.add(v.path("nics").get(0).path("mac").asString()));
    try (agent) {
      agent.awaitTableContaining(macs, Duration.ofSeconds(30));
      assertThat(agent.refusals()).isZero();
      assertThat(agent.generation()).isEqualTo(generation(poll(cloud.balancer(), host, 0, 0)));
    }
  }

  /** What the balancer answered to one create. */
  private record Answer(String name, int status, String body) {}

  @Test
  @Order(5)
  void aBrowserSignsInAgainOnTheSurvivingReplicaAndLosesNoData() {
    Tenant t = newTenant("10.80.0");
    try (BrowserSession browser = BrowserSession.open(cloud.balancer().toString())) {
      signIn(browser);
      String replica = browser.driver().manage().getCookieNamed("WEFT_REPLICA").getValue();
      assertThat(replica).isIn("r1", "r2");
      cloud.replica(replica.equals("r1") ? 0 : 1).kill();
      browser.go("/");
      signIn(browser); // the session lived on the dead replica: sign in again, on the other
      assertThat(browser.driver().manage().getCookieNamed("WEFT_REPLICA").getValue())
          .isNotEqualTo(replica);
      browser.go("/operator/tenants");
      browser.waitForText(By.tagName("body"), "Org t-");
    }
    assertThat(t.api().get("/api/v1/tenants/" + t.id() + "/vm-networks").size()).isEqualTo(1);
  }

  private static void signIn(BrowserSession browser) {
    browser.go("/login");
    WebElement form = browser.waitFor(By.tagName("vaadin-login-form"));
    form.findElement(By.cssSelector("input[name='username']")).sendKeys("admin");
    form.findElement(By.cssSelector("input[name='password']"))
        .sendKeys(TwoReplicaLauncher.ADMIN_PASSWORD);
    form.findElement(By.cssSelector("vaadin-button[slot='submit']")).click();
    browser.waitForText(By.id("home-title"), "Welcome, admin");
  }
}
