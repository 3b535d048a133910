package io.weft.dataplane.agent;

import static io.weft.dataplane.table.TableFixtures.ip;
import static io.weft.dataplane.table.TableFixtures.mac;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import io.weft.dataplane.pipeline.AddressObservations;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.LookupRecord;
import io.weft.dataplane.table.TableDelta;
import io.weft.dataplane.table.TableFixtures;
import io.weft.dataplane.table.TableJson;
import io.weft.dataplane.table.TableMessage;
import io.weft.dataplane.table.VmNetworkChange;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The table client against a tiny fake fabric speaking the documented wire format. */
class TableClientTest {

  private static final String TOKEN = AgentAgainstFakeFabric.TOKEN;
  private AgentAgainstFakeFabric fabric;
  private final ConcurrentLinkedQueue<Response> script = new ConcurrentLinkedQueue<>();
  private final List<String> queries = new CopyOnWriteArrayList<>();
  private List<String> statuses;
  private List<HostTable> installed;
  private HostAgent agent;
  private TableClient client;
  private volatile boolean draining;

  private record Response(int code, String body) {}

  @BeforeEach
  void startFabric() throws IOException {
    fabric = new AgentAgainstFakeFabric(this::table);
    statuses = fabric.statuses;
    installed = fabric.installed;
    agent = fabric.agent;
    client = newClient();
  }

  private TableClient newClient() {
    return fabric.tableClient(Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofMillis(50));
  }

  @AfterEach
  void stop() {
    client.close();
    fabric.close();
  }

  private void table(HttpExchange x) throws IOException {
    boolean authorized =
        ("Bearer " + TOKEN).equals(x.getRequestHeaders().getFirst("Authorization"));
    queries.add(x.getRequestURI().getQuery());
    Response r = authorized ? script.poll() : new Response(401, "");
    if (r == null) {
      r = new Response(204, "");
      sleep(50); // a quiet long-poll, shortened: a started client does not spin
    }
    byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    if (draining) {
      x.getResponseHeaders().add(TableClient.DRAINING_HEADER, "true");
    }
    if (r.code() == 503 && !r.body().isEmpty()) {
      x.getResponseHeaders().add("Retry-After", r.body()); // the script's body is the hint
      body = new byte[0];
    }
    x.sendResponseHeaders(r.code(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      x.getResponseBody().write(body);
    }
    x.close();
  }

  private static TableDelta addRecord(long from, long to, String ca, String macText) {
    return new TableDelta(
        from,
        to,
        null,
        List.of(),
        List.of(
            new VmNetworkChange(
                TableFixtures.TENANT_A,
                List.of(),
                List.of(),
                List.of(new LookupRecord(5001, ip(ca), mac(macText), ip("192.168.1.9"))),
                List.of(),
                List.of(),
                List.of())));
  }

  @Test
  void snapshotThenDeltaThenUnchangedResumingWithSince() {
    HostTable snapshot =
        new HostTable(
            "host-1",
            5,
            TableFixtures.oneNetwork(5).encapsulation(),
            TableFixtures.oneNetwork(5).localPa(),
            1400,
            TableFixtures.oneNetwork(5).networks());
    script.add(new Response(200, TableJson.writeSnapshot(snapshot)));
    script.add(
        new Response(200, TableJson.writeDelta(addRecord(5, 6, "10.0.0.30", "02:00:00:00:00:30"))));
    assertThat(client.pollOnce()).isEqualTo(TableClient.PollOutcome.APPLIED);
    assertThat(client.pollOnce()).isEqualTo(TableClient.PollOutcome.APPLIED);
    assertThat(client.pollOnce()).isEqualTo(TableClient.PollOutcome.UNCHANGED);
    assertThat(queries).containsExactly("since=0&wait=1", "since=5&wait=1", "since=6&wait=1");
    assertThat(agent.generation()).isEqualTo(6);
    assertThat(installed).hasSize(2);
    assertThat(statuses).as("a report per change; the quiet poll is the sign of life").hasSize(2);
    assertThat(statuses.getLast())
        .contains(
            "\"generation\":6", "\"digest\":\"" + agent.digest() + "\"", "\"hostId\":\"host-1\"");
  }

  @Test
  void malformedOrInconsistentTablesAreRefusedTheOldOneKeptAndASnapshotRequested() {
    script.add(
        new Response(
            200,
            TableJson.writeSnapshot(TableFixtures.oneNetwork(5).withGeneration(5))
                .replace("host-1", "host-1")));
    assertThat(client.pollOnce()).isEqualTo(TableClient.PollOutcome.APPLIED);
    String digest = agent.digest();
    // A delta for a generation the agent does not have ("too old" on the fabric's side).
    script.add(
        new Response(200, TableJson.writeDelta(addRecord(3, 4, "10.0.0.31", "02:00:00:00:00:31"))));
    // A delta whose record points at an unknown VSID's subnet: CA outside any subnet.
    script.add(
        new Response(200, TableJson.writeDelta(addRecord(5, 6, "10.9.9.9", "02:00:00:00:00:32"))));
    script.add(
        new Response(200, "{\"formatVersion\":1,\"kind\":\"snapshot\",\"table\":{\"hostId\":"));
    for (int i = 0; i < 3; i++) {
      assertThat(client.pollOnce()).isEqualTo(TableClient.PollOutcome.REJECTED);
      assertThat(agent.digest()).isEqualTo(digest);
      assertThat(agent.generation()).isEqualTo(5);
    }
    assertThat(queries.subList(1, 4))
        .containsExactly("since=5&wait=1", "since=0&wait=1", "since=0&wait=1");
    assertThat(statuses.getLast()).contains("lastRejection", "not JSON");
    assertThat(agent.status().lastRejection().reason()).contains("not JSON");
    // The fabric recovers with a snapshot: applied, and since resumes from it.
    script.add(new Response(200, TableJson.writeSnapshot(TableFixtures.oneNetwork(9))));
    assertThat(client.pollOnce()).isEqualTo(TableClient.PollOutcome.APPLIED);
    assertThat(client.pollOnce()).isEqualTo(TableClient.PollOutcome.UNCHANGED);
    assertThat(queries.getLast()).isEqualTo("since=9&wait=1");
  }

  @Test
  void fabricDownKeepsTheLastTableAndBacksOffWithJitter() {
    script.add(
        new Response(200, TableJson.writeSnapshot(TableFixtures.oneNetwork(5).withGeneration(5))));
    assertThat(client.pollOnce()).isEqualTo(TableClient.PollOutcome.APPLIED);
    fabric.close();
    assertThat(client.pollOnce()).isEqualTo(TableClient.PollOutcome.FAILED);
    assertThat(client.pollOnce()).isEqualTo(TableClient.PollOutcome.FAILED);
    assertThat(client.consecutiveFailures()).isEqualTo(2);
    assertThat(client.lastError()).contains("unreachable");
    assertThat(agent.generation()).isEqualTo(5);
    assertThat(installed).hasSize(1);
    for (int i = 1; i < 50; i++) {
      assertThat(client.backoff(i)).isBetween(Duration.ZERO, Duration.ofMillis(50));
    }
    // The first failure waits at most the base (10 ms), the second twice that.
    for (int i = 0; i < 100; i++) {
      assertThat(client.backoff(1)).isLessThanOrEqualTo(Duration.ofMillis(10));
      assertThat(client.backoff(2)).isLessThanOrEqualTo(Duration.ofMillis(20));
    }
  }

  @Test
  void aLongPollEndedByADrainingReplicaIsNoHeartbeatAndNoFailure() {
    draining = true;
    assertThat(client.pollOnce()).isEqualTo(TableClient.PollOutcome.DRAINED);
    assertThat(statuses).as("no report in the moment every agent of the replica is told").isEmpty();
    assertThat(client.consecutiveFailures()).isZero();
    assertThat(client.fabricReachable()).isTrue();
    draining = false;
    assertThat(client.pollOnce()).isEqualTo(TableClient.PollOutcome.UNCHANGED);
    assertThat(statuses).as("nor after a quiet poll").isEmpty();
  }

  /**
   * A quiet long-poll is followed by no report (TABLE-FORMAT.md, "Liveness"), unless a port showed
   * an address for the first time since the last report: news for reconciliation.
   */
  @Test
  void aQuietPollIsFollowedByNoReportUnlessAPortShowedANewAddress() {
    assertThat(client.pollOnce()).isEqualTo(TableClient.PollOutcome.UNCHANGED);
    assertThat(client.pollOnce()).isEqualTo(TableClient.PollOutcome.UNCHANGED);
    assertThat(statuses).isEmpty();

    fabric.leases.observations().install(TableFixtures.oneNetwork(1).networks().getFirst().ports());
    fabric.leases.observations().v4(0, AddressObservations.SOURCE, 0x0A00_000A);
    assertThat(client.pollOnce()).isEqualTo(TableClient.PollOutcome.UNCHANGED);
    assertThat(statuses).hasSize(1);
    assertThat(statuses.getFirst()).contains("observedAddresses", "10.0.0.10");

    assertThat(client.pollOnce()).isEqualTo(TableClient.PollOutcome.UNCHANGED);
    assertThat(statuses).as("reported once").hasSize(1);
  }

  /** With nothing changing, a started agent reports at start and then at its full-report pace. */
  @Test
  void aRestingAgentReportsAtStartAndThenOnlyItsPeriodicFullReport() {
    client.fullReportEvery(Duration.ofHours(1));
    client.start();
    awaitUntil(() -> queries.size() >= 5, "five quiet polls");
    assertThat(statuses).as("the report at start only").hasSize(1);
    client.close();

    statuses.clear();
    client = newClient();
    client.fullReportEvery(Duration.ofMillis(200));
    client.start();
    awaitUntil(() -> statuses.size() >= 3, "the start report and two full reports");
    assertThat(statuses.getLast()).contains("\"counters\"", "\"generation\"");
  }

  @Test
  void theFullReportPauseIsJitteredWithin80To120Percent() {
    var random = new java.util.Random(7);
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 1000; i++) {
      long ms = StatusReports.fullReportPause(Duration.ofMinutes(5), random).toMillis();
      min = Math.min(min, ms);
      max = Math.max(max, ms);
    }
    assertThat(min).isBetween(240_000L, 250_000L);
    assertThat(max).isBetween(350_000L, 360_000L);
  }

  private static void awaitUntil(java.util.function.BooleanSupplier done, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never saw " + what);
      }
      sleep(10);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aBusyReplicasRetryAfterIsHonouredAndTheSnapshotComesLater() {
    script.add(new Response(503, "3"));
    script.add(
        new Response(
            200,
            TableJson.write(
                new TableMessage.Snapshot(
                    new HostTable(
                        "host-1",
                        4,
                        TableFixtures.oneNetwork(1).encapsulation(),
                        TableFixtures.oneNetwork(1).localPa(),
                        1400,
                        List.of())))));
    assertThat(client.pollOnce()).isEqualTo(TableClient.PollOutcome.BUSY);
    assertThat(client.lastRetryAfter()).isEqualTo(Duration.ofSeconds(3));
    assertThat(client.consecutiveFailures()).as("busy is no failure").isZero();
    assertThat(statuses).as("no report while the replica is busy").isEmpty();
    assertThat(queries.getLast()).startsWith("since=0");
    // Refused, it asks for its snapshot again and gets it.
    assertThat(client.pollOnce()).isEqualTo(TableClient.PollOutcome.APPLIED);
    assertThat(queries.getLast()).startsWith("since=0");
    assertThat(agent.generation()).isEqualTo(4);
  }

  @Test
  void aBusyPauseIsTheHintPlusUpToTheHintAgain() {
    Random random = new Random(14);
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 1_000; i++) {
      long ms = TableClient.busyPause(Duration.ofSeconds(2), random).toMillis();
      min = Math.min(min, ms);
      max = Math.max(max, ms);
    }
    assertThat(min).isBetween(2_000L, 2_100L);
    assertThat(max).isBetween(3_900L, 4_000L);
  }

  @Test
  void aLongPollIsWaitedForLongEnoughToOutlastOneResendByTheBalancer() {
    for (int seconds : new int[] {1, 30, 60}) {
      Duration wait = Duration.ofSeconds(seconds);
      // A replica dies holding a poll at most a wait old; the balancer resends it to another
      // replica, which waits a whole wait again before a quiet answer. Some slack on top.
      assertThat(TableClient.pollTimeout(wait))
          .as("timeout of a %s long-poll", wait)
          .isGreaterThanOrEqualTo(wait.plus(wait).plusSeconds(5));
    }
  }

  @Test
  void aPlain503WithoutAHintIsAFailure() {
    script.add(new Response(503, ""));
    assertThat(client.pollOnce()).isEqualTo(TableClient.PollOutcome.FAILED);
    assertThat(client.consecutiveFailures()).isEqualTo(1);
  }

  @Test
  void aRunningClientPausesARandomMomentAfterEachDrainedPoll() throws Exception {
    client.close();
    draining = true;
    client =
        new TableClient(
            fabric.uri(),
            TOKEN,
            agent,
            Duration.ofSeconds(1),
            new RetrySchedule(Duration.ofMillis(10), Duration.ofMillis(50)),
            Duration.ofMillis(200),
            HttpClient.newHttpClient());
    client.start();
    Thread.sleep(1_500);
    client.close();
    // Uniform pauses in [0, 200 ms] (mean 100): about 15 polls in 1.5 s; without the pause a
    // drained replica would be polled in a tight loop, thousands of times.
    assertThat(queries.size()).isBetween(4, 60);
  }

  @Test
  void wrongTokenIsAFailureNotATable() {
    client.close();
    client =
        new TableClient(
            fabric.uri(),
            "stolen",
            agent,
            Duration.ofSeconds(1),
            Duration.ofMillis(10),
            Duration.ofMillis(50));
    assertThat(client.pollOnce()).isEqualTo(TableClient.PollOutcome.FAILED);
    assertThat(client.lastError()).contains("401");
  }

  @Test
  void runningClientCatchesUpInTheBackground() throws Exception {
    script.add(
        new Response(200, TableJson.writeSnapshot(TableFixtures.oneNetwork(5).withGeneration(5))));
    script.add(
        new Response(200, TableJson.writeDelta(addRecord(5, 6, "10.0.0.30", "02:00:00:00:00:30"))));
    client.start();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (agent.generation() != 6 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(agent.generation()).isEqualTo(6);
  }
}
