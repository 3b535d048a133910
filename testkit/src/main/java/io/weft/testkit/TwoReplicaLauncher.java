package io.weft.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Two application replicas, each its own JVM running the built portal jar, on one throwaway
 * PostgreSQL database, behind HAProxy with TLS: the deployment of the README's "Multi-host" section
 * on one machine. Every multi-process test shares one launcher ({@link #shared()}), started once
 * per test JVM, so the suite pays for the start-up once; a test that kills or stops a replica calls
 * {@link #restoreBoth()} when done.
 *
 * <p>The shared launcher's database is not empty: it starts as wave 1 left it ({@link
 * #WAVE_1_DATABASE}, the previous release's schema and a small cloud made by its API), so the first
 * replica's start is the Flyway upgrade an operator runs, and every multi-process test runs on an
 * upgraded database.
 *
 * <p>The portal jar must be built ({@code mvn package}); the tests using this run as failsafe
 * integration tests of the portal module, after its jar is packaged.
 */
public final class TwoReplicaLauncher implements AutoCloseable {

  /** The first operator's password on every launched cloud. */
  public static final String ADMIN_PASSWORD = "Launcher-admin-password-1";

  /**
   * The resource holding wave 1's database as a plain SQL dump (see its header for what is in it
   * and {@code make-wave-1.sh} beside it for how it was made).
   */
  public static final String WAVE_1_DATABASE = "/io/weft/testkit/upgrade/wave-1.sql";

  /**
   * What the shared replicas run with beyond the defaults: scheduled jobs check in every 2 s and a
   * dead replica's job guard goes stale after 6 s, so a recovery test waits seconds, not half a
   * minute; IPAM reconciliation fires every 3 s, so a test sees several firings quickly; and it may
   * spend 10 s per run reclaiming leases (Kea's 250 ms reclaims only 20-30 on these C1-only JVMs
   * sharing two cores, and the recovery test's 120 leases would need a run per 30).
   */
  public static final Map<String, String> SHARED_ENVIRONMENT =
      Map.of(
          "WEFT_JOBS_CLUSTERCHECKININTERVAL", "2s",
          "WEFT_JOBS_STALEAFTER", "6s",
          "WEFT_RECONCILIATION_SCHEDULE", "0/3 * * * * ?",
          "WEFT_RECONCILIATION_MAXLEASERECLAIMTIME", "10s");

  private static TwoReplicaLauncher shared;
  private static RuntimeException sharedFailure;

  private final PostgresTestDatabase database;
  private final List<ReplicaProcess> replicas;
  private final List<HaproxyBalancer> balancers;
  private final Path dir;

  private TwoReplicaLauncher(
      PostgresTestDatabase database,
      List<ReplicaProcess> replicas,
      List<HaproxyBalancer> balancers,
      Path dir) {
    this.database = database;
    this.replicas = replicas;
    this.balancers = balancers;
    this.dir = dir;
  }

  /** Empty when PostgreSQL, HAProxy, openssl and the portal jar are all here; else what is not. */
  public static Optional<String> unavailableReason() {
    return PostgresTestDatabase.unavailableReason()
        .or(HaproxyBalancer::unavailableReason)
        .or(() ->
            portalJar().isEmpty() ? Optional.of("the portal jar is not built") : Optional.empty());
  }

  /**
   * The launcher every multi-process test shares, started on first use and closed when the JVM
   * ends; skips the calling test (printing why) where it cannot run.
   */
  public static synchronized TwoReplicaLauncher shared() {
    String reason = unavailableReason().orElse(null);
    if (reason != null) {
      System.out.println("SKIPPED two-replica test: " + reason);
    }
    Assumptions.assumeTrue(reason == null, reason);
    if (sharedFailure != null) {
      throw new IllegalStateException("the shared replicas failed to start", sharedFailure);
    }
    if (shared == null) {
      TwoReplicaLauncher launcher;
      try {
        launcher = start(SHARED_ENVIRONMENT, wave1Database());
      } catch (RuntimeException e) {
        sharedFailure = e; // one failed start, not one per test
        throw e;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(launcher::close));
      shared = launcher;
    }
    shared.restoreBoth();
    return shared;
  }

  /**
   * Starts a launcher of one's own (prefer {@link #shared()}); {@code environment} is added to both
   * replicas' environment (e.g. configuration a test needs).
   */
  public static TwoReplicaLauncher start(Map<String, String> environment) {
    return start(environment, "");
  }

  /**
   * As {@link #start(Map)}, on a database that first runs {@code seed} (SQL, e.g. an earlier
   * release's dump; empty for an empty database).
   */
  public static TwoReplicaLauncher start(Map<String, String> environment, String seed) {
    PostgresTestDatabase database = PostgresTestDatabase.create();
    try {
      if (!seed.isEmpty()) {
        database.runScript(seed);
      }
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
    return start(database, environment, TEST_JVM_OPTIONS);
  }

  /** The replicas' JVM in tests: small, quick to start, enough for a few hosts. */
  public static final List<String> TEST_JVM_OPTIONS =
      List.of(
          "-Xmx384m",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "--enable-native-access=ALL-UNNAMED");

  /**
   * Two replicas on {@code database} (which the launcher then owns and drops on {@link #close()}),
   * started with {@code jvmOptions}; e.g. a benchmark's prepared cloud on production-like JVMs.
   */
  public static TwoReplicaLauncher start(
      PostgresTestDatabase database, Map<String, String> environment, List<String> jvmOptions) {
    return start(database, environment, jvmOptions, 1);
  }

  /**
   * As {@link #start(PostgresTestDatabase, Map, List)} behind {@code balancerCount} HAProxy
   * processes, each checking and balancing over both replicas (as DNS round-robin over several
   * balancers would spread clients in production): one HAProxy holds two file descriptors per
   * proxied connection, so where the descriptor limit cannot be raised (20,000 on the machine of
   * docs/benchmarks.md) one process carries at most about 10,000 connections.
   */
  public static TwoReplicaLauncher start(
      PostgresTestDatabase database,
      Map<String, String> environment,
      List<String> jvmOptions,
      int balancerCount) {
    Path jar = portalJar().orElseThrow(() -> new IllegalStateException("build the portal jar"));
    try {
      Path dir = Files.createTempDirectory("weft-replicas-");
      Map<String, String> env = new HashMap<>();
      env.put("WEFT_DB_URL", database.jdbcUrl());
      env.put("WEFT_DB_USER", database.user());
      env.put("WEFT_DB_PASSWORD", database.password());
      env.put("WEFT_ADMIN_PASSWORD", ADMIN_PASSWORD);
      env.put("WEFT_SIMULATION_HOSTS", "0");
      env.putAll(environment);
      List<ReplicaProcess> replicas = new ArrayList<>();
      for (int i = 1; i <= 2; i++) {
        replicas.add(
            new ReplicaProcess(
                "replica-" + i,
                jar,
                freePort(),
                freePort(),
                dir.resolve("replica-" + i),
                env,
                jvmOptions,
                List.of()));
      }
      List<HaproxyBalancer> balancers = new ArrayList<>();
      for (int i = 1; i <= balancerCount; i++) {
        balancers.add(
            new HaproxyBalancer(
                repositoryFile("docker/haproxy/haproxy.cfg"),
                dir.resolve(i == 1 ? "balancer" : "balancer-" + i),
                freePort(),
                replicas.stream().map(r -> "127.0.0.1:" + r.port()).toList(),
                replicas.stream().map(ReplicaProcess::managementPort).toList()));
      }
      TwoReplicaLauncher launcher = new TwoReplicaLauncher(database, replicas, balancers, dir);
      try {
        // The first replica migrates the database alone (Flyway), then the second starts.
        replicas.get(0).start();
        replicas.get(0).awaitReady(Duration.ofSeconds(180));
        replicas.get(1).start();
        balancers.forEach(HaproxyBalancer::start);
        replicas.get(1).awaitReady(Duration.ofSeconds(180));
        launcher.awaitBalancerSees(2, Duration.ofSeconds(10));
      } catch (RuntimeException e) {
        launcher.close(); // no replica, balancer or database outlives a failed start
        throw e;
      }
      System.out.println(
          "[replicas] "
              + replicas.size()
              + " replicas and "
              + balancers.size()
              + " HAProxy up in "
              + dir);
      return launcher;
    } catch (IOException e) {
      database.close();
      throw new UncheckedIOException(e);
    }
  }

  /** Wave 1's database as SQL ({@link #WAVE_1_DATABASE}). */
  public static String wave1Database() {
    try (InputStream in = TwoReplicaLauncher.class.getResourceAsStream(WAVE_1_DATABASE)) {
      if (in == null) {
        throw new IllegalStateException(WAVE_1_DATABASE + " is missing from the testkit jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public ReplicaProcess replica(int index) {
    return replicas.get(index);
  }

  public List<ReplicaProcess> replicas() {
    return replicas;
  }

  /** The (first) balancer's HTTPS address: what browsers, scripts and agents use. */
  public URI balancer() {
    return balancers().get(0);
  }

  /** Every balancer's HTTPS address, in start order. */
  public List<URI> balancers() {
    return balancers.stream().map(b -> URI.create("https://127.0.0.1:" + b.port())).toList();
  }

  /** The (first) balancer's process. */
  public HaproxyBalancer balancerProcess() {
    return balancers.get(0);
  }

  /** Every balancer's process, in the order of {@link #balancers()}. */
  public List<HaproxyBalancer> balancerProcesses() {
    return balancers;
  }

  public PostgresTestDatabase database() {
    return database;
  }

  /** An HTTP client that trusts the balancer's certificate and keeps no cookies (an API client). */
  public HttpClient httpClient() {
    return HttpClient.newBuilder()
        .sslContext(balancerProcess().sslContext())
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** Starts whichever replica is down (after a kill or stop) and waits until both serve again. */
  public void restoreBoth() {
    List<CompletableFuture<Void>> waits = new ArrayList<>();
    for (ReplicaProcess r : replicas) {
      if (!r.isAlive()) {
        r.start();
        waits.add(CompletableFuture.runAsync(() -> r.awaitReady(Duration.ofSeconds(120))));
      }
    }
    waits.forEach(CompletableFuture::join);
    if (!waits.isEmpty()) {
      awaitBalancerSees(2, Duration.ofSeconds(10));
    }
  }

  /**
   * Waits until HAProxy's health checks have caught up with the replicas' readiness: rise 2 at 1 s
   * intervals, so about 2 s after a replica turns ready.
   */
  public void awaitBalancerSees(int replicasUp, Duration max) {
    // HAProxy has no admin socket here; its checks run every second and need two passes.
    long upNow = replicas.stream().filter(ReplicaProcess::ready).count();
    if (upNow < replicasUp) {
      throw new IllegalStateException("only " + upNow + " replicas are ready");
    }
    ReplicaProcess.sleep(Duration.ofMillis(Math.min(max.toMillis(), 2_500)));
  }

  @Override
  public void close() {
    replicas.forEach(ReplicaProcess::kill);
    balancers.forEach(HaproxyBalancer::close);
    database.close();
  }

  /** The directory holding each replica's home and log, and the balancer's files. */
  public Path directory() {
    return dir;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The built portal jar (the repackaged one, not {@code .original}), if there is one. */
  public static Optional<Path> portalJar() {
    Path target = repositoryRoot().resolve("portal/target");
    if (!Files.isDirectory(target)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(target)) {
      return files
          .filter(p -> p.getFileName().toString().matches("weft-portal-.*\\.jar"))
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** A file of the repository, found by walking up from the working directory. */
  static Path repositoryFile(String relative) {
    return repositoryRoot().resolve(relative);
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("docker/haproxy/haproxy.cfg"))) {
        return d;
      }
    }
    return dir;
  }
}
