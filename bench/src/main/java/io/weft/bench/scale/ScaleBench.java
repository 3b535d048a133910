package io.weft.bench.scale;

import io.weft.bench.scale.ChangeMaker.Change;
import io.weft.bench.scale.ChangeMaker.Kind;
import io.weft.bench.tables.BulkCloud;
import io.weft.dataplane.agent.TableClient;
import io.weft.fabric.HostId;
import io.weft.testkit.HaproxyBalancer;
import io.weft.testkit.PostgresTestDatabase;
import io.weft.testkit.ReplicaProcess;
import io.weft.testkit.TwoReplicaLauncher;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code ./weft bench scale [AGENTS] [VNICS] [CHANGES]}: two replicas (the packaged portal jar) on
 * the local PostgreSQL behind HAProxy with TLS, AGENTS simulated agents (one per host, virtual
 * threads in this JVM) long-polling through the balancer, a cloud of VNICS vNICs with 10 per VM
 * network generated straight into the database ({@link BulkCloud}, what the services would write),
 * then: CHANGES placements and CHANGES migrations one at a time, a burst of 100 concurrent changes,
 * and a replica killed in the middle of a stream of changes. Prints progress every 5 s and a
 * summary (docs/benchmarks.md).
 */
public final class ScaleBench {

  private static final Duration APPLY_LIMIT = Duration.ofSeconds(60);

  private SimulatedAgents agents;
  private ScaleRun db;
  private ProcessGauges gauges;
  private volatile String phase = "starting";

  public static void main(String[] args) throws Exception {
    int agentCount = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int vnics = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int changes = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    new ScaleBench().run(agentCount, vnics, changes);
  }

  private void run(int agentCount, int vnics, int changes) throws Exception {
    long t0 = System.nanoTime();
    long fdLimit = ProcessGauges.softLimit(ProcessHandle.current().pid());
    int balancerCount = balancers(agentCount, fdLimit);
    System.out.printf(
        "scale bench: %,d agents, %,d vNICs (%d per VM network), %d changes of each kind;"
            + " %d cpus, this JVM's max heap %d MiB; descriptor limit %,d per process, so %d"
            + " HAProxy process(es), each agent given one of them%n",
        agentCount,
        vnics,
        KeptCloud.VNICS_PER_NETWORK,
        changes,
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        fdLimit,
        balancerCount);
    TwoReplicaLauncher.unavailableReason()
        .ifPresent(r -> {
          throw new IllegalStateException("cannot run: " + r);
        });
    String kept = KeptCloud.keptName(agentCount, vnics);
    PostgresTestDatabase database;
    BulkCloud.Cloud cloud;
    if (PostgresTestDatabase.exists(kept)) {
      database = PostgresTestDatabase.copyOf(kept);
      cloud = KeptCloud.load(database);
      System.out.printf(
          "[%.0f s] on a copy of the kept cloud %s (./weft bench scale-cloud): %,d vNICs on %,d"
              + " hosts, generated there in %.1f s (services) + %.1f s (bulk)%n",
          seconds(t0),
          kept,
          cloud.vnics(),
          cloud.hosts().size(),
          cloud.servicesSeconds(),
          cloud.bulkSeconds());
    } else {
      database = PostgresTestDatabase.create();
      cloud = KeptCloud.generate(database, agentCount, vnics);
      System.out.printf("[%.0f s] cloud generated, planner statistics gathered%n", seconds(t0));
    }
    Map<String, String> env =
        Map.of(
            "SERVER_TOMCAT_MAX_CONNECTIONS", "20000",
            "SERVER_TOMCAT_ACCEPT_COUNT", "2000",
            "SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE", "30",
            "SPRING_DATASOURCE_HIKARI_CONNECTION_TIMEOUT", "60000",
            // The drift audit recomputes every host's intended digest each run (10 s by default):
            // at thousands of hosts that is a load of its own, kept out of these figures.
            "WEFT_DIAGNOSTICS_DRIFT_SCHEDULE", "0 0/10 * * * ?",
            // IPAM reconciliation (every minute by default) streams every allocation and vNIC: at
            // 1,000,000 that is ~18 s of PostgreSQL time a run, a third of a core every minute,
            // and docs/operations.md has it scheduled every 10 minutes at that size.
            "WEFT_RECONCILIATION_SCHEDULE", "0 5/10 * * * ?",
            "LOGGING_LEVEL_ROOT", "warn");
    List<String> jvm =
        List.of(
            "-Xmx" + replicaHeap(agentCount),
            replicaCollector(),
            "-Xlog:gc:stdout", // each collection in the replica's log: pauses are part of the tail
            "--enable-native-access=ALL-UNNAMED");
    try (TwoReplicaLauncher replicas =
        TwoReplicaLauncher.start(database, env, jvm, balancerCount)) {
      // Stopped from outside (Ctrl-C, a time limit): no replica, balancer or database outlives it.
      Runtime.getRuntime().addShutdownHook(new Thread(replicas::close));
      System.out.printf(
          "[%.0f s] replicas up: %s, balancers %s%n",
          seconds(t0), replicas.directory(), replicas.balancers());
      List<String> hostIds = cloud.hosts().stream().map(HostId::toString).toList();
      db = new ScaleRun(database.jdbcUrl(), database.user(), database.password(), hostIds);
      gauges = new ProcessGauges(replicas);
      agents =
          new SimulatedAgents(
              replicas.balancers(),
              replicas.balancerProcesses().stream().map(HaproxyBalancer::sslContext).toList(),
              hostIds,
              cloud.agentTokens(),
              TableClient.DEFAULT_WAIT,
              fullReportInterval(),
              commandMode());
      System.out.printf(
          "agents: table long-poll wait %d s, no report after a quiet poll, a full report every"
              + " %s (jittered 80-120 %%), commands %s (WEFT_BENCH_SCALE_COMMANDS: announced,"
              + " long_poll or off)%n",
          TableClient.DEFAULT_WAIT.toSeconds(), fullReportInterval(), commandMode());
      Thread progress = Thread.ofPlatform().daemon().start(() -> progress(t0));
      measure(replicas, cloud, changes, t0);
      progress.interrupt();
      agents.close();
      db.close();
    }
    System.out.printf("[%.0f s] done%n", seconds(t0));
    System.exit(0);
  }

  /**
   * Each replica's heap: 2 GiB up to 5,000 agents; above that 4 GiB, since a survivor holds every
   * agent's long-poll after the kill (~1.2 GiB in use with 5,000 each at 10,000 agents, run I of
   * docs/benchmarks.md). WEFT_BENCH_SCALE_REPLICA_HEAP overrides (e.g. 3g).
   */
  private static String replicaHeap(int agents) {
    String forced = System.getenv("WEFT_BENCH_SCALE_REPLICA_HEAP");
    if (forced != null && !forced.isBlank()) {
      return forced.strip();
    }
    return agents > 5_000 ? "4g" : "2g";
  }

  /**
   * Each replica's collector: ZGC. With G1 (its 200 ms pause goal) young collections of a replica
   * holding 5,000 long-polls took 280-345 ms on average on these 2 cores, and a change that met one
   * waited it out: run N's placement p99 (docs/benchmarks.md). WEFT_BENCH_SCALE_REPLICA_GC=g1
   * compares.
   */
  private static String replicaCollector() {
    String forced = System.getenv("WEFT_BENCH_SCALE_REPLICA_GC");
    return "g1".equalsIgnoreCase(forced == null ? "" : forced.strip())
        ? "-XX:+UseG1GC"
        : "-XX:+UseZGC";
  }

  /**
   * HAProxy processes needed: each holds two descriptors per proxied connection, so one carries
   * about half the descriptor limit (WEFT_BENCH_SCALE_BALANCERS overrides).
   */
  private static int balancers(int agents, long fdLimit) {
    String forced = System.getenv("WEFT_BENCH_SCALE_BALANCERS");
    if (forced != null && !forced.isBlank()) {
      return Integer.parseInt(forced.strip());
    }
    long perBalancer = Math.max(1, fdLimit / 2 - 200);
    return (int) Math.max(1, (agents + perBalancer - 1) / perBalancer);
  }

  private void measure(TwoReplicaLauncher replicas, BulkCloud.Cloud cloud, int changes, long t0)
      throws Exception {
    HttpClient api = replicas.httpClient();
    ChangeMaker maker =
        new ChangeMaker(api, replicas.balancer(), TwoReplicaLauncher.ADMIN_PASSWORD, cloud, 7);
    // 1. Agents come up (spread over 10 s per 1,000, as hosts booting) and take their snapshots.
    phase = "first snapshots";
    Duration spread = Duration.ofMillis(Math.max(10_000, agents.size() * 5L));
    long s0 = System.nanoTime();
    ScaleRun.DbLoad l0 = db.load();
    agents.start(spread);
    while (agents.withTable() < agents.size()) {
      ChangeMaker.sleep(Duration.ofMillis(200));
    }
    ScaleRun.DbLoad l1 = db.load();
    System.out.printf(
        "[%.0f s] all %,d agents hold their first snapshot %.1f s after the first started (starts"
            + " spread over %d s); failed polls meanwhile: %d, busy answers (503 + Retry-After):"
            + " %d; database %s%n",
        seconds(t0),
        agents.size(),
        seconds(s0),
        spread.toSeconds(),
        agents.failures.get(),
        agents.busy.get(),
        l1.since(l0));
    gauges.print("after the first snapshots");
    if (RestingLoad.length().isPositive()) {
      phase = "rest";
      RestingLoad.measure(agents, db, RestingLoad.length());
    }
    // 2. Warm-up, then changes one at a time.
    phase = "warm-up";
    for (int i = 0; i < 10; i++) {
      one(maker, Kind.PLACEMENT);
      one(maker, Kind.MIGRATION);
    }
    phase = "one at a time";
    ScaleRun.DbLoad m0 = db.load();
    for (Kind kind : Kind.values()) {
      List<Double> ms = new ArrayList<>();
      for (int i = 0; i < changes; i++) {
        ms.add(one(maker, kind));
      }
      report(kind + " one at a time, commit -> every bumped host applied", ms);
    }
    System.out.printf("database during the changes one at a time: %s%n", db.load().since(m0));
    gauges.print("after the changes one at a time");
    // 3. A burst of 100 concurrent changes (half placements, half migrations).
    phase = "burst";
    ScaleRun.DbLoad b0 = db.load();
    burst(maker);
    System.out.printf("database during the burst (until quiet): %s%n", db.load().since(b0));
    gauges.print("after the burst");
    // 4. A stream of changes, one replica killed in the middle.
    phase = "failover";
    failover(replicas, maker);
    quiet(Duration.ofSeconds(60));
    long[] intended = db.generations();
    List<Integer> behind = ChangeMaker.behind(intended, agents);
    System.out.printf(
        "end: agents behind the database: %d of %,d; deltas that did not start at the agent's"
            + " generation (lost or applied twice): %d; snapshots %,d, deltas %,d, reports %,d"
            + " (full reports %,d), failed polls/reports %,d, drained polls %,d, busy answers %,d;"
            + " command polls %,d (failed %,d, commands taken %,d, announced %,d); API calls"
            + " retried %d (409"
            + " 'please retry' %d)%n",
        behind.size(),
        agents.size(),
        agents.outOfOrderDeltas.get(),
        agents.snapshots.get(),
        agents.deltas.get(),
        agents.reports.get(),
        agents.fullReports.get(),
        agents.failures.get(),
        agents.drained.get(),
        agents.busy.get(),
        agents.commandPollCount.get(),
        agents.commandFailures.get(),
        agents.commandsTaken.get(),
        agents.commandsAnnounced.get(),
        maker.retried.get(),
        maker.conflicts.get());
  }

  /** One change alone; returns commit→applied ms (or -1), after the cloud is quiet again. */
  private double one(ChangeMaker maker, Kind kind) throws Exception {
    Change change = maker.measured(kind, db);
    double ms = ChangeMaker.appliedMs(change, agents, APPLY_LIMIT);
    quiet(Duration.ofSeconds(10));
    return ms;
  }

  /**
   * Waits until no migration is in flight and every agent holds its intended generation. Each check
   * reads every host's generation: every 20 ms per 1,000 agents, so that the harness's own reads
   * stay a small share of the database's work (10,000 rows every 20 ms would not be).
   */
  private void quiet(Duration max) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    Duration pause = Duration.ofMillis(Math.max(20, agents.size() / 50));
    while (System.nanoTime() < deadline) {
      if (db.migrationsInFlight() == 0 && ChangeMaker.behind(db.generations(), agents).isEmpty()) {
        return;
      }
      ChangeMaker.sleep(pause);
    }
  }

  private void burst(ChangeMaker maker) throws Exception {
    long[] before = db.generations();
    List<Future<Long>> commits = new ArrayList<>();
    long start = System.nanoTime();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 100; i++) {
        Kind kind = i % 2 == 0 ? Kind.PLACEMENT : Kind.MIGRATION;
        commits.add(pool.submit(() -> maker.make(kind)));
      }
    }
    long[] after = db.generations();
    List<long[]> bumped = ScaleRun.bumped(before, after);
    List<Double> ms = new ArrayList<>();
    long lastCommit = 0;
    for (Future<Long> f : commits) {
      Change c = new Change(Kind.PLACEMENT, f.get(), bumped);
      ms.add(ChangeMaker.appliedMs(c, agents, APPLY_LIMIT));
      lastCommit = Math.max(lastCommit, f.get());
    }
    double tail =
        ChangeMaker.appliedMs(new Change(Kind.PLACEMENT, lastCommit, bumped), agents, APPLY_LIMIT);
    System.out.printf(
        "burst of 100 concurrent changes: all committed %.0f ms after the first call; %d hosts"
            + " bumped; every one of them applied %.1f ms after the last commit%n",
        (lastCommit - start) / 1e6, bumped.size(), tail);
    report("burst, each change's commit -> every host the burst bumped applied (upper bound)", ms);
    quiet(Duration.ofSeconds(30));
  }

  private void failover(TwoReplicaLauncher replicas, ChangeMaker maker) throws Exception {
    long failuresBefore = agents.failures.get();
    long commandFailuresBefore = agents.commandFailures.get();
    List<Change> before = new ArrayList<>();
    List<Change> after = new ArrayList<>();
    long killedAt = 0;
    ReplicaProcess victim = replicas.replica(0);
    for (int i = 0; i < 40; i++) {
      if (i == 10) {
        killedAt = System.nanoTime();
        agents.outageStarted(killedAt);
        victim.kill();
        System.out.printf(
            "killed %s (SIGKILL) with %,d agents polling%n", victim.name(), agents.size());
      }
      Change c = maker.measured(i % 2 == 0 ? Kind.PLACEMENT : Kind.MIGRATION, db);
      (killedAt == 0 ? before : after).add(c);
      ChangeMaker.sleep(Duration.ofMillis(250));
    }
    List<Double> beforeMs = new ArrayList<>();
    for (Change c : before) {
      beforeMs.add(ChangeMaker.appliedMs(c, agents, APPLY_LIMIT));
    }
    List<Double> afterMs = new ArrayList<>();
    for (Change c : after) {
      afterMs.add(ChangeMaker.appliedMs(c, agents, APPLY_LIMIT));
    }
    // Every agent served again: each agent's first poll that succeeded after the kill, counted
    // from when it was sent (a poll in flight on the survivor, or moved there by HAProxy, counts
    // as no outage at all).
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    int notBack;
    do {
      notBack = 0;
      for (int i = 0; i < agents.size(); i++) {
        if (agents.backAtNanos(i) == 0) {
          notBack++;
        }
      }
      if (notBack > 0) {
        ChangeMaker.sleep(Duration.ofMillis(100));
      }
    } while (notBack > 0 && System.nanoTime() < deadline);
    double[] outage = new double[agents.size()];
    int cutOff = 0;
    for (int i = 0; i < agents.size(); i++) {
      long back = agents.backAtNanos(i);
      outage[i] = back == 0 ? Double.NaN : (back - killedAt) / 1e6;
      if (back > killedAt) {
        cutOff++;
      }
    }
    Arrays.sort(outage);
    report("stream before the kill, commit -> applied", beforeMs);
    report("stream after the kill (failover, not in any p99 above), commit -> applied", afterMs);
    System.out.printf(
        "failover: agents' failed polls/reports after the kill %,d (command polls %,d); %,d agents"
            + " had to poll again"
            + " (the others' polls were served on or moved to the survivor); each agent served"
            + " again (send time of its first successful poll after the kill) p50 %.0f ms, p99 %.0f"
            + " ms, last %.0f ms after the kill (%d never within 90 s); every change applied: %s%n",
        agents.failures.get() - failuresBefore,
        agents.commandFailures.get() - commandFailuresBefore,
        cutOff,
        outage[(int) Math.ceil(0.50 * outage.length) - 1],
        outage[(int) Math.ceil(0.99 * outage.length) - 1],
        outage[outage.length - 1 - Math.min(notBack, outage.length - 1)],
        notBack,
        afterMs.stream().allMatch(m -> m >= 0) && beforeMs.stream().allMatch(m -> m >= 0));
    failureTimes(killedAt);
    gauges.print("after the failover (one replica)");
  }

  /**
   * When the agents that failed after the kill first failed, and how: which request broke tells
   * where a long failover window comes from (the balancer, the dead replica's connections, or the
   * agents' back-off).
   */
  private void failureTimes(long killedAt) {
    List<Double> firstFailure = new ArrayList<>();
    for (int i = 0; i < agents.size(); i++) {
      if (agents.failedAtNanos(i) != 0) {
        firstFailure.add((agents.failedAtNanos(i) - killedAt) / 1e6);
      }
    }
    report(
        "failover: each failing agent's first failure after the kill, ms after it", firstFailure);
    java.util.stream.IntStream.range(0, agents.size())
        .boxed()
        .sorted((a, b) -> Long.compare(agents.backAtNanos(b), agents.backAtNanos(a)))
        .limit(5)
        .forEach(i ->
            System.out.printf(
                "  agent %d: served again %.0f ms after the kill, first failure %.0f ms%n",
                i,
                (agents.backAtNanos(i) - killedAt) / 1e6,
                agents.failedAtNanos(i) == 0 ? -1 : (agents.failedAtNanos(i) - killedAt) / 1e6));
    agents.outageFailures.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
        .limit(8)
        .forEach(e -> System.out.printf("  %,d x %s%n", e.getValue().sum(), e.getKey()));
  }

  private static void report(String what, List<Double> ms) {
    double[] ok =
        ms.stream().mapToDouble(Double::doubleValue).filter(m -> m >= 0).sorted().toArray();
    long missing = ms.stream().filter(m -> m < 0).count();
    if (ok.length == 0) {
      System.out.printf("%s: none applied (%d)%n", what, missing);
      return;
    }
    System.out.printf(
        "%s: n=%d p50 %.1f ms, p99 %.1f ms, max %.1f ms%s%n",
        what,
        ok.length,
        pct(ok, 50),
        pct(ok, 99),
        ok[ok.length - 1],
        missing == 0 ? "" : ", NOT APPLIED within " + APPLY_LIMIT.toSeconds() + " s: " + missing);
  }

  private static double pct(double[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  /** The agents' slow full report: WEFT_BENCH_SCALE_FULL_REPORT (ISO-8601, e.g. PT5M). */
  private static Duration fullReportInterval() {
    String forced = System.getenv("WEFT_BENCH_SCALE_FULL_REPORT");
    return forced == null || forced.isBlank()
        ? TableClient.DEFAULT_FULL_REPORT_INTERVAL
        : Duration.parse(forced.strip());
  }

  /**
   * How the agents take commands: WEFT_BENCH_SCALE_COMMANDS = announced (default, as the agent
   * does: announced on the table poll, no command long-poll at rest), long_poll (a command
   * long-poll beside the table poll, as agents before announcements) or off.
   */
  private static SimulatedAgents.CommandMode commandMode() {
    String forced = System.getenv("WEFT_BENCH_SCALE_COMMANDS");
    return forced == null || forced.isBlank()
        ? SimulatedAgents.CommandMode.ANNOUNCED
        : SimulatedAgents.CommandMode.valueOf(forced.strip().toUpperCase(java.util.Locale.ROOT));
  }

  private void progress(long t0) {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(5_000);
      } catch (InterruptedException e) {
        return;
      }
      System.out.printf(
          "[%.0f s] %s: agents with a table %,d/%,d, polls %,d (busy %,d), reports %,d,"
              + " failures %,d, command polls %,d (failed %,d)%n",
          seconds(t0),
          phase,
          agents.withTable(),
          agents.size(),
          agents.polls.get(),
          agents.busy.get(),
          agents.reports.get(),
          agents.failures.get(),
          agents.commandPollCount.get(),
          agents.commandFailures.get());
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
