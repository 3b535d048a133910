package io.weft.portal.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.Caller;
import io.weft.fabric.HostService;
import io.weft.fabric.NewHost;
import io.weft.fabric.NewLogicalNetwork;
import io.weft.fabric.RegisteredHost;
import io.weft.fabric.identity.AccountId;
import io.weft.fabric.identity.Role;
import io.weft.portal.H2ApplicationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * IPAM reconciliation through the API, on the default application: each kind of drift made on
 * purpose (a VM deleted behind IPAM's back, a VM using an address it was not given, two vNICs with
 * one address (configured, and seen), an address nobody allocated, a host with a changed PA, an
 * expired lease), found within 5 s of "run now" with its category and evidence, fixed where policy
 * allows; resolution, reopening, tenants' isolation and bad input.
 */
abstract class ReconciliationApiContract {

  static final Caller OPERATOR =
      new Caller(new AccountId(UUID.randomUUID()), "op", Role.OPERATOR, Optional.empty());
  static final String JOB = "/api/v1/jobs/ipam-reconciliation";

  int port;
  @Autowired HostService hosts;
  @Autowired JdbcClient jdbc;

  ApiClient operator;
  ApiTenant tenant;
  String network;
  String subnet;
  RegisteredHost host;

  abstract int port();

  @BeforeEach
  void setUp() {
    port = port();
    operator = ApiClient.basic(port, "admin", H2ApplicationTest.ADMIN_PASSWORD);
    tenant = ApiTenant.signUp(port, "recon");
    ApiClient.Response net = tenant.api().post(tenant.path("/vm-networks"), Map.of("name", "prod"));
    assertThat(net.status()).as(net.toString()).isEqualTo(201);
    network = net.id();
    ApiClient.Response sn =
        tenant
            .api()
            .post(
                tenant.path("/vm-networks/" + network + "/subnets"),
                Map.of("name", "web", "cidr", "10.50.0.0/24"));
    assertThat(sn.status()).as(sn.toString()).isEqualTo(201);
    subnet = sn.id();
    String tag = UUID.randomUUID().toString().substring(0, 8);
    String ln =
        hosts
            .createLogicalNetwork(
                OPERATOR, new NewLogicalNetwork("recon-ln-" + tag, "10.78.0.0/16", "VXLAN", 1550))
            .id()
            .toString();
    host = hosts.registerHost(OPERATOR, new NewHost("recon-h-" + tag, ln, null, 16));
  }

  @Test
  void vmDeletedBehindIpamsBackIsReleasedAutomaticallyWithAnAuditEntry() {
    String[] vm = staticVm("gone", "10.50.0.10");
    // Behind IPAM's back: the model forgets the VM, its allocation stays.
    jdbc.sql("DELETE FROM fabric_vnic WHERE vm_id = :vm")
        .param("vm", UUID.fromString(vm[0]))
        .update();
    jdbc.sql("DELETE FROM fabric_vm WHERE id = :vm").param("vm", UUID.fromString(vm[0])).update();
    assertThat(allocationsOwnedBy("vnic:" + vm[1])).as("its address and its MAC").isEqualTo(2);

    runNowAndWait();

    JsonNode f = finding("10.50.0.10", "RECLAIMABLE");
    assertThat(f.path("state").asString()).isEqualTo("FIXED");
    assertThat(f.path("evidence").asString()).contains(vm[1]).contains("no longer exists");
    assertThat(allocationsOwnedBy("vnic:" + vm[1])).as("address and MAC released").isZero();
    assertThat(operator.get("/api/v1/audit?limit=500").body().toString())
        .contains("reconciliation.fix.release")
        .contains("10.50.0.10");

    // The address is free again: a new VM can take it, and the next run finds nothing there.
    staticVm("again", "10.50.0.10");
    runNowAndWait();
    assertThat(finding("10.50.0.10", "RECLAIMABLE").path("state").asString()).isEqualTo("FIXED");
  }

  @Test
  void observationsRevealMismatchedDuplicateUnknownAndPaDrift() {
    String[] a = staticVm("a", "10.50.0.20");
    String[] b = staticVm("b", "10.50.0.21");
    int vsid = vsid();
    String pa = hosts.getHost(OPERATOR, host.host().id()).providerAddress();
    report(
        "10.78.250.250",
        observed(a[1], vsid, "10.50.0.21", "SPOOF"), // a uses b's address
        observed(b[1], vsid, "10.50.0.21", "SOURCE"),
        observed(a[1], vsid, "10.50.0.99", "ARP")); // nobody's address

    runNowAndWait();

    JsonNode mismatched = finding("10.50.0.21", "MISMATCHED");
    assertThat(mismatched.path("state").asString()).isEqualTo("OPEN");
    assertThat(mismatched.path("evidence").asString())
        .contains("allocated to vnic:" + b[1])
        .contains("SPOOF on port " + a[1]);
    assertThat(finding("10.50.0.21", "DUPLICATE").path("evidence").asString())
        .contains(a[1])
        .contains(b[1]);
    JsonNode unknown = finding("10.50.0.99", "UNKNOWN");
    assertThat(unknown.path("evidence").asString()).contains("allocated to nobody");
    JsonNode drift =
        findings("?scope=logical-network:" + host.host().logicalNetworkId() + "&category=PA_DRIFT")
            .get(0);
    assertThat(drift.path("address").asString()).isEqualTo(pa);
    assertThat(drift.path("evidence").asString()).contains("10.78.250.250").contains(pa);

    // Weft never releases what it does not own.
    ApiClient.Response release =
        operator.post(
            "/api/v1/reconciliation/findings/" + unknown.path("id").asString() + "/resolve",
            Map.of("action", "RELEASE"));
    assertThat(release.status()).as(release.toString()).isEqualTo(409);

    // The tenant ignores it with a reason; the same evidence keeps it ignored ...
    ApiClient.Response ignored =
        tenant
            .api()
            .post(
                "/api/v1/reconciliation/findings/" + unknown.path("id").asString() + "/resolve",
                Map.of("action", "IGNORE", "reason", "lab appliance, known"));
    assertThat(ignored.status()).as(ignored.toString()).isEqualTo(200);
    assertThat(ignored.text("state")).isEqualTo("IGNORED");
    report("10.78.250.250", observed(a[1], vsid, "10.50.0.99", "ARP"));
    runNowAndWait();
    assertThat(finding("10.50.0.99", "UNKNOWN").path("state").asString()).isEqualTo("IGNORED");
    // ... new evidence (seen on a second vNIC) reopens it.
    report(pa, observed(b[1], vsid, "10.50.0.99", "SOURCE"));
    runNowAndWait();
    assertThat(finding("10.50.0.99", "UNKNOWN").path("state").asString()).isEqualTo("OPEN");
    // The host reports IPAM's PA again: the drift closes.
    assertThat(
            findings(
                    "?scope=logical-network:"
                        + host.host().logicalNetworkId()
                        + "&category=PA_DRIFT")
                .get(0)
                .path("state")
                .asString())
        .isEqualTo("CLOSED");
  }

  @Test
  void twoVnicsConfiguredWithOneAddressAreADuplicateNamingBothVnicsAndTheirMacs() {
    String[] first = staticVm("first", "10.50.0.80");
    String[] second = staticVm("second", "10.50.0.81");
    // The REST API never configures one address twice (IPAM refuses); a hand edit behind its back
    // does: the second vNIC now says it has the first one's address.
    jdbc.sql("UPDATE fabric_vnic SET address = '10.50.0.80' WHERE id = :id")
        .param("id", UUID.fromString(second[1]))
        .update();

    runNowAndWait();

    JsonNode duplicate = finding("10.50.0.80", "DUPLICATE");
    assertThat(duplicate.path("state").asString()).isEqualTo("OPEN");
    assertThat(duplicate.path("tenantId").asString()).isEqualTo(tenant.id());
    assertThat(duplicate.path("evidence").asString())
        .contains("configured on 2 vNICs")
        .contains(first[1] + " (" + mac(first) + ")")
        .contains(second[1] + " (" + mac(second) + ")");
    assertThat(finding("10.50.0.81", "RECLAIMABLE").path("evidence").asString())
        .as("what the second vNIC was given is now configured nowhere")
        .contains("allocated to vNIC " + second[1])
        .contains("which is configured with 10.50.0.80");
    ApiClient.Response own =
        tenant.api().get("/api/v1/reconciliation/findings/" + duplicate.path("id").asString());
    assertThat(own.status()).as("the tenant sees its own duplicate").isEqualTo(200);

    // Undone by hand: the next run closes it.
    jdbc.sql("UPDATE fabric_vnic SET address = '10.50.0.81' WHERE id = :id")
        .param("id", UUID.fromString(second[1]))
        .update();
    runNowAndWait();
    assertThat(finding("10.50.0.80", "DUPLICATE").path("state").asString()).isEqualTo("CLOSED");
  }

  @Test
  void anExpiredLeaseNothingUsesIsReclaimedAndOneStillInUseIsOnlyReported() {
    String[] idle = dhcpVmWithExpiredLease("idle", "10.50.0.30");
    String[] busy = dhcpVmWithExpiredLease("busy", "10.50.0.31");
    // The busy VM keeps sending from its address after its lease ran out.
    report(null, observed(busy[1], vsid(), "10.50.0.31", "SOURCE"));

    runNowAndWait();

    JsonNode reclaimed = finding("10.50.0.30", "STALE_LEASE");
    assertThat(reclaimed.path("state").asString()).isEqualTo("FIXED");
    assertThat(reclaimed.path("evidence").asString())
        .contains("expired at")
        .contains("not renewed");
    assertThat(allocationsOwnedBy("vnic:" + idle[1]))
        .as("the address went back (MAC kept)")
        .isOne();
    assertThat(vnicAddress(idle[1])).as("the vNIC waits for a new lease").isNull();
    assertThat(operator.get("/api/v1/audit?limit=500").body().toString())
        .contains("vnic.dhcp-reclaim")
        .contains(idle[1] + " 10.50.0.30 reclaimed");

    JsonNode inUse = finding("10.50.0.31", "STALE_LEASE");
    assertThat(inUse.path("state").asString()).isEqualTo("OPEN");
    assertThat(inUse.path("evidence").asString())
        .contains("still seen in use since, so not reclaimed")
        .contains("SOURCE on port " + busy[1]);
    assertThat(allocationsOwnedBy("vnic:" + busy[1])).as("address and MAC kept").isEqualTo(2);
    assertThat(vnicAddress(busy[1])).isEqualTo("10.50.0.31");
  }

  @Test
  void aHostMissingALookupRecordMakesTheAddressUnprogrammedUntilItCatchesUp() {
    operator.put("/api/v1/hosts/" + host.host().id() + "/state", Map.of("state", "READY"));
    ApiClient agent = ApiClient.bearer(port, host.agentToken());
    long before = intendedGeneration(agent);
    reportGeneration(before);
    String[] vm = staticVm("unapplied", "10.50.0.50");
    placeOnOurHost(vm[0]);
    long intended = intendedGeneration(agent);
    assertThat(intended).as("the VM's record is in the host's table").isGreaterThan(before);
    // The agent never applies it: behind for a minute, longer than the audit's grace.
    awaitHostDrifting();

    runNowAndWait();

    JsonNode f = finding("10.50.0.50", "UNPROGRAMMED");
    assertThat(f.path("state").asString()).isEqualTo("OPEN");
    assertThat(f.path("evidence").asString())
        .contains("configured on vNIC " + vm[1])
        .contains(host.host().name())
        .contains("has not applied its lookup record (CA 10.50.0.50 -> PA")
        .contains("generation " + before + " of " + intended);

    // The agent catches up: the finding closes.
    reportGeneration(intended);
    assertThat(operator.post("/api/v1/diagnostics/drift", Map.of()).status()).isEqualTo(200);
    runNowAndWait();
    assertThat(finding("10.50.0.50", "UNPROGRAMMED").path("state").asString()).isEqualTo("CLOSED");
  }

  @Test
  void prometheusShowsRunDurationOpenFindingsPerCategoryFixesAndClockOffsets() throws Exception {
    String before = prometheus();
    String[] vm = staticVm("metered", "10.50.0.60");
    jdbc.sql("DELETE FROM fabric_vnic WHERE vm_id = :vm")
        .param("vm", UUID.fromString(vm[0]))
        .update();
    jdbc.sql("DELETE FROM fabric_vm WHERE id = :vm").param("vm", UUID.fromString(vm[0])).update();
    report(null, observed(vm[1], vsid(), "10.50.0.61", "SPOOF"));

    runNowAndWait();

    String after = prometheus();
    assertThat(sample(after, "weft_reconciliation_duration_seconds_count"))
        .as("one more run timed")
        .isGreaterThan(sample(before, "weft_reconciliation_duration_seconds_count"));
    assertThat(sample(after, "weft_reconciliation_duration_seconds_sum")).isPositive();
    assertThat(sample(after, "weft_reconciliation_fixed_total"))
        .as("the deleted VM's allocation released")
        .isGreaterThanOrEqualTo(sample(before, "weft_reconciliation_fixed_total") + 1);
    int openUnknown = openFindings("UNKNOWN");
    assertThat(openUnknown).isPositive();
    assertThat(sample(after, "weft_reconciliation_findings_open{category=\"UNKNOWN\"}"))
        .as("the gauge says what the API lists")
        .isEqualTo(openUnknown);
    assertThat(after)
        .contains("weft_reconciliation_findings_open{category=\"UNPROGRAMMED\"}")
        .contains("weft_clock_offset_milliseconds")
        .contains("weft_clock_host_offset_max_milliseconds");
  }

  @Test
  void anOperatorReassignsAnAddressAVmUsesToItsVnicButNeverTakesOneALivingVnicHolds() {
    String[] user = staticVm("by-hand", "10.50.0.70");
    String[] holder = staticVm("holder", "10.50.0.72");
    // The VM was configured by hand with .71 (it was given .70) and also tries .72, holder's.
    report(
        null,
        observed(user[1], vsid(), "10.50.0.71", "SOURCE"),
        observed(user[1], vsid(), "10.50.0.72", "SPOOF"));
    runNowAndWait();
    String unknown =
        "/api/v1/reconciliation/findings/"
            + finding("10.50.0.71", "UNKNOWN").path("id").asString()
            + "/resolve";

    assertField(operator.post(unknown, Map.of("action", "REASSIGN")), 400, "vnicId");
    assertField(
        operator.post(unknown, Map.of("action", "REASSIGN", "vnicId", "not-an-id")), 400, "vnicId");
    assertField(
        operator.post(
            unknown, Map.of("action", "REASSIGN", "vnicId", UUID.randomUUID().toString())),
        404,
        "vnicId");
    assertThat(tenant.api().post(unknown, Map.of("action", "REASSIGN", "vnicId", user[1])).status())
        .as("tenants do not move addresses")
        .isEqualTo(403);

    ApiClient.Response moved =
        operator.post(
            unknown,
            Map.of("action", "REASSIGN", "vnicId", user[1], "reason", "configured by hand"));
    assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
    assertThat(moved.text("state")).isEqualTo("RESOLVED");
    assertThat(moved.text("resolution")).isEqualTo("REASSIGN");
    assertThat(vnicAddress(user[1])).isEqualTo("10.50.0.71");
    assertThat(ownerOf("10.50.0.71")).isEqualTo("vnic:" + user[1]);
    assertThat(ownerOf("10.50.0.70")).as("its old address went back").isNull();
    assertThat(operator.get("/api/v1/audit?limit=500").body().toString())
        .contains("vnic.reassign")
        .contains(user[1] + " 10.50.0.70 -> 10.50.0.71");

    String mismatched =
        "/api/v1/reconciliation/findings/"
            + finding("10.50.0.72", "MISMATCHED").path("id").asString()
            + "/resolve";
    assertField(
        operator.post(mismatched, Map.of("action", "REASSIGN", "vnicId", user[1])),
        409,
        "findingId");
    assertThat(ownerOf("10.50.0.72")).isEqualTo("vnic:" + holder[1]);
  }

  @Test
  void tenantsSeeOnlyTheirOwnFindingsAndBadInputIsA4xxNamingTheField() {
    String[] a = staticVm("a", "10.50.0.40");
    report(null, observed(a[1], vsid(), "10.50.0.41", "SPOOF"));
    runNowAndWait();
    String id = finding("10.50.0.41", "UNKNOWN").path("id").asString();
    assertThat(tenant.api().get("/api/v1/reconciliation/findings/" + id).status()).isEqualTo(200);

    ApiTenant attacker = ApiTenant.signUp(port, "recon");
    assertThat(attacker.api().get("/api/v1/reconciliation/findings/" + id).status()).isEqualTo(404);
    ApiClient.Response resolve =
        attacker
            .api()
            .post(
                "/api/v1/reconciliation/findings/" + id + "/resolve",
                Map.of("action", "IGNORE", "reason", "mine now"));
    assertThat(resolve.status()).isEqualTo(404);
    JsonNode theirs = attacker.api().get("/api/v1/reconciliation/findings?limit=1000").body();
    assertThat(theirs.toString()).doesNotContain(id);
    assertThat(attacker.api().get("/api/v1/reconciliation/runs").status()).isEqualTo(403);
    assertThat(attacker.api().post(JOB + "/run", Map.of()).status()).isEqualTo(403);

    assertField(operator.get("/api/v1/reconciliation/findings?category=BOGUS"), 400, "category");
    assertField(operator.get("/api/v1/reconciliation/findings?state=nope"), 400, "state");
    assertField(operator.get("/api/v1/reconciliation/findings?limit=0"), 400, "limit");
    assertField(operator.get("/api/v1/reconciliation/findings?limit=many"), 400, "limit");
    assertField(operator.get("/api/v1/reconciliation/findings?offset=-1"), 400, "offset");
    assertField(
        operator.get("/api/v1/reconciliation/findings?scope=" + "x".repeat(201)), 400, "scope");
    assertThat(
            operator
                .postRaw("/api/v1/reconciliation/findings/" + id + "/resolve", "{not json")
                .status())
        .isEqualTo(400);
    assertField(
        operator.post(
            "/api/v1/reconciliation/findings/" + id + "/resolve",
            Map.of("action", "IGNORE", "reason", "r".repeat(501))),
        400,
        "reason");
    assertField(operator.get("/api/v1/reconciliation/runs?limit=5000"), 400, "limit");
    assertField(operator.get("/api/v1/reconciliation/findings/not-a-uuid"), 404, "findingId");
    assertField(
        operator.post(
            "/api/v1/reconciliation/findings/" + id + "/resolve", Map.of("action", "EXPLODE")),
        400,
        "action");
    assertField(
        operator.post(
            "/api/v1/reconciliation/findings/" + id + "/resolve", Map.of("action", "IGNORE")),
        400,
        "reason");
    assertField(operator.post("/api/v1/jobs/no-such-job/run", Map.of()), 404, "job");
    assertField(operator.post("/api/v1/jobs/no-such-job/pause", Map.of()), 404, "job");
    assertField(operator.post("/api/v1/jobs/no-such-job/resume", Map.of()), 404, "job");
    assertThat(attacker.api().post(JOB + "/pause", Map.of()).status()).isEqualTo(403);
    assertField(operator.get("/api/v1/reconciliation/runs/not-a-uuid"), 404, "runId");
    assertField(
        operator.get("/api/v1/reconciliation/runs/" + java.util.UUID.randomUUID()), 404, "runId");
    ApiClient agent = ApiClient.bearer(port, host.agentToken());
    Map<String, Object> bad =
        new java.util.HashMap<>(observed(a[1], vsid(), "10.50.0.41", "GUESS"));
    assertField(
        agent.post("/api/v1/agent/status", status(null, List.of(bad))),
        400,
        "observedAddresses.kind");
    bad.put("kind", "ARP");
    bad.put("address", "not-an-address");
    assertField(
        agent.post("/api/v1/agent/status", status(null, List.of(bad))),
        400,
        "observedAddresses.address");
  }

  @Test
  void clockHealthSaysNotConfiguredWithoutNtpServersAndIsForOperatorsOnly() {
    ApiClient.Response clocks = operator.get("/api/v1/clock-health");
    assertThat(clocks.status()).as(clocks.toString()).isEqualTo(200);
    assertThat(clocks.text("status")).isEqualTo("NOT_CONFIGURED");
    assertThat(clocks.body().path("warnMs").asLong()).isEqualTo(500);
    assertThat(tenant.api().get("/api/v1/clock-health").status()).isEqualTo(403);
  }

  @Test
  void operatorsPauseAndResumeTheScheduleAndStillRunNow() {
    ApiClient.Response paused = operator.post(JOB + "/pause", Map.of());
    assertThat(paused.status()).as(paused.toString()).isEqualTo(200);
    assertThat(paused.body().path("paused").asBoolean()).isTrue();
    JsonNode jobs = operator.get("/api/v1/jobs").body();
    assertThat(jobs.get(0).path("name").asString()).isEqualTo("ipam-reconciliation");
    assertThat(jobs.get(0).path("paused").asBoolean()).isTrue();
    runNowAndWait();
    ApiClient.Response resumed = operator.post(JOB + "/resume", Map.of());
    assertThat(resumed.body().path("paused").asBoolean()).isFalse();
    assertThat(resumed.body().path("nextFireAt").isString()).isTrue();
  }

  @Test
  void theTableDriftAuditIsAScheduledJobOperatorsPauseAndRunNow() {
    JsonNode jobs = operator.get("/api/v1/jobs").body();
    assertThat(jobs.get(1).path("name").asString()).isEqualTo("table-drift-audit");
    assertThat(jobs.get(1).path("schedule").asString()).isEqualTo("0/10 * * * * ?");
    assertThat(jobs.get(2).path("name").asString()).isEqualTo("diagnostics-retention");
    assertThat(jobs.get(2).path("schedule").asString()).isEqualTo("0 3/10 * * * ?");
    assertThat(tenant.api().post("/api/v1/jobs/diagnostics-retention/pause", Map.of()).status())
        .isEqualTo(403);
    String drift = "/api/v1/jobs/table-drift-audit";
    try {
      ApiClient.Response paused = operator.post(drift + "/pause", Map.of());
      assertThat(paused.status()).as(paused.toString()).isEqualTo(200);
      assertThat(paused.body().path("paused").asBoolean()).isTrue();
      Instant asked = Instant.now().minusMillis(5);
      assertThat(operator.post(drift + "/run", Map.of()).status()).isEqualTo(202);
      ApiWaits.await(
          "a drift audit stored within 5 s of run-now, the schedule paused",
          Duration.ofSeconds(5),
          () ->
              !Instant.parse(operator.get("/api/v1/diagnostics/drift").text("at"))
                  .isBefore(asked.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)));
      assertThat(tenant.api().post(drift + "/run", Map.of()).status()).isEqualTo(403);
      assertThat(tenant.api().post(drift + "/resume", Map.of()).status()).isEqualTo(403);
    } finally {
      ApiClient.Response resumed = operator.post(drift + "/resume", Map.of());
      assertThat(resumed.body().path("paused").asBoolean()).isFalse();
      assertThat(resumed.body().path("nextFireAt").isString()).isTrue();
    }
  }

  // --- helpers ---

  private String ownerOf(String address) {
    return jdbc.sql(
            "SELECT a.owner FROM ipam_allocation a JOIN fabric_subnet s ON s.pool_id = a.pool_id"
                + " WHERE s.id = :subnet AND a.num = :num")
        .param("subnet", UUID.fromString(subnet))
        .param("num", new java.math.BigDecimal(io.weft.ipam.IpAddressValue.parse(address).value()))
        .query(String.class)
        .optional()
        .orElse(null);
  }

  private String prometheus() throws Exception {
    java.net.http.HttpResponse<String> r =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + port + "/actuator/prometheus"))
                    .header(
                        "Authorization",
                        "Basic "
                            + java.util.Base64.getEncoder()
                                .encodeToString(
                                    ("admin:" + H2ApplicationTest.ADMIN_PASSWORD).getBytes()))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  /** The value of one sample (name with its labels as exported), 0 when absent. */
  private static double sample(String exposition, String nameAndLabels) {
    return exposition
        .lines()
        .filter(l ->
            l.startsWith(nameAndLabels + " ")
                || (l.startsWith(nameAndLabels + "{") && !nameAndLabels.contains("{")))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private int openFindings(String category) {
    return jdbc.sql("SELECT count(*) FROM recon_finding WHERE state = 'OPEN' AND category = :c")
        .param("c", category)
        .query(Integer.class)
        .single();
  }

  /** A DHCP VM whose lease (of {@code address}) the agent saw run out an hour ago. */
  private String[] dhcpVmWithExpiredLease(String name, String address) {
    String[] vm = staticVm(name, address);
    // The fabric believes in the address as a DHCP lease; the agent saw it expire.
    jdbc.sql("UPDATE fabric_vnic SET addressing = 'DHCP' WHERE id = :id")
        .param("id", UUID.fromString(vm[1]))
        .update();
    Instant expired = Instant.now().minus(Duration.ofHours(1));
    Map<String, Object> lease = new java.util.HashMap<>(observed(vm[1], vsid(), address, "LEASE"));
    lease.put("firstSeen", expired.minus(Duration.ofDays(1)).toString());
    lease.put("lastSeen", expired.minus(Duration.ofHours(12)).toString());
    lease.put("leaseExpires", expired.toString());
    report(null, lease);
    return vm;
  }

  /** The MAC the API gave a VM's first vNIC. */
  private String mac(String[] vm) {
    return tenant
        .api()
        .get(tenant.path("/vms/" + vm[0]))
        .body()
        .path("nics")
        .get(0)
        .path("mac")
        .asString();
  }

  private String vnicAddress(String vnic) {
    return jdbc.sql("SELECT address FROM fabric_vnic WHERE id = :id")
        .param("id", UUID.fromString(vnic))
        .query((rs, n) -> java.util.Optional.ofNullable(rs.getString(1)))
        .single()
        .orElse(null);
  }

  private long intendedGeneration(ApiClient agent) {
    ApiClient.Response table = agent.get("/api/v1/agent/table?since=0&wait=0");
    assertThat(table.status()).as(table.toString()).isEqualTo(200);
    return table.body().path("table").path("generation").asLong();
  }

  private void reportGeneration(long generation) {
    Map<String, Object> body = status(null, List.of());
    body.put("generation", generation);
    ApiClient.Response r =
        ApiClient.bearer(port, host.agentToken()).post("/api/v1/agent/status", body);
    assertThat(r.status()).as(r.toString()).isEqualTo(204);
  }

  private void placeOnOurHost(String vmId) {
    String placed =
        operator
            .get("/api/v1/tenants/" + tenant.id() + "/vms/" + vmId)
            .body()
            .path("placement")
            .path("hostId")
            .asString();
    if (!host.host().id().toString().equals(placed)) {
      ApiClient.Response moved =
          operator.post(
              "/api/v1/vms/" + vmId + "/migrate", Map.of("hostId", host.host().id().toString()));
      assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
    }
  }

  /** Audits until our host counts as drifting: behind since a minute ago (set on its audit row). */
  private void awaitHostDrifting() {
    ApiWaits.await(
        "host " + host.host().name() + " audited as drifting",
        Duration.ofSeconds(10),
        () -> {
          jdbc.sql(
                  "UPDATE diag_host_drift SET behind_since = :since WHERE host_id = :h"
                      + " AND behind_since IS NOT NULL")
              .param("since", java.sql.Timestamp.from(Instant.now().minusSeconds(60)))
              .param("h", host.host().id().value())
              .update();
          JsonNode report = operator.post("/api/v1/diagnostics/drift", Map.of()).body();
          for (JsonNode h : report.path("hosts")) {
            if (h.path("hostId").asString().equals(host.host().id().toString())) {
              return "BEHIND".equals(h.path("verdict").asString())
                  && h.path("drifting").asBoolean();
            }
          }
          return false;
        });
  }

  private void assertField(ApiClient.Response r, int status, String field) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.text("field")).as(r.toString()).isEqualTo(field);
  }

  /** Fires the job and waits for its run: a drift is reported within 5 s of "run now". */
  private void runNowAndWait() {
    Instant asked = Instant.now().minusMillis(5);
    ApiClient.Response fired = operator.post(JOB + "/run", Map.of());
    assertThat(fired.status()).as(fired.toString()).isEqualTo(202);
    ApiWaits.await(
        "a manual run finished within 5 s of run-now",
        Duration.ofSeconds(5),
        () -> {
          for (JsonNode run : operator.get("/api/v1/reconciliation/runs?limit=10").body()) {
            if ("MANUAL".equals(run.path("trigger").asString())
                && !Instant.parse(run.path("startedAt").asString()).isBefore(asked)
                && run.path("finishedAt").isString()) {
              assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
              return true;
            }
          }
          return false;
        });
  }

  private JsonNode finding(String address, String category) {
    for (JsonNode f : findings("?scope=vm-network:" + network + "&category=" + category)) {
      if (f.path("address").asString().equals(address)) {
        return f;
      }
    }
    throw new AssertionError("no " + category + " finding for " + address + " in " + network);
  }

  private JsonNode findings(String query) {
    ApiClient.Response r = operator.get("/api/v1/reconciliation/findings" + query);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.body();
  }

  private long allocationsOwnedBy(String owner) {
    return jdbc.sql("SELECT count(*) FROM ipam_allocation WHERE owner = :o")
        .param("o", owner)
        .query(Long.class)
        .single();
  }

  private int vsid() {
    return jdbc.sql("SELECT vsid FROM fabric_subnet WHERE id = :id")
        .param("id", UUID.fromString(subnet))
        .query(Integer.class)
        .single();
  }

  private static Map<String, Object> observed(String port, int vsid, String address, String kind) {
    Instant now = Instant.now();
    return Map.of(
        "portId", port,
        "vsid", vsid,
        "mac", "02:00:00:00:00:01",
        "address", address,
        "kind", kind,
        "firstSeen", now.minusSeconds(30).toString(),
        "lastSeen", now.toString());
  }

  @SafeVarargs
  private void report(String providerAddress, Map<String, Object>... observed) {
    ApiClient agent = ApiClient.bearer(port, host.agentToken());
    ApiClient.Response r =
        agent.post("/api/v1/agent/status", status(providerAddress, List.of(observed)));
    assertThat(r.status()).as(r.toString()).isEqualTo(204);
  }

  private Map<String, Object> status(String providerAddress, List<Map<String, Object>> observed) {
    Map<String, Object> body = new java.util.HashMap<>();
    body.put("formatVersion", 1);
    body.put("hostId", host.host().id().toString());
    body.put("generation", 0);
    body.put("observedAddresses", new ArrayList<>(observed));
    if (providerAddress != null) {
      body.put("providerAddress", providerAddress);
    }
    return body;
  }

  private String[] staticVm(String name, String address) {
    ApiTenant.CreatedVm vm = tenant.staticVm(name, subnet, address);
    return new String[] {vm.id(), vm.nicId()};
  }
}
