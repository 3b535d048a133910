package io.weft.bench.probe;

import io.weft.bench.RestClient;
import io.weft.testkit.TwoReplicaLauncher;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * Live-probe latency on the simulated cloud, end to end as a client sees it: starts the packaged
 * portal ({@code portal/target/weft-portal-*.jar}, H2, N simulated hosts on the memory data plane
 * whose agents long-poll over HTTP) in a JVM of its own, builds a tenant with VMs spread over the
 * hosts through the REST API, then times probes between VMs on different hosts from {@code POST
 * /api/v1/diagnostics/probes} to the answer of {@code GET .../probes/{id}?wait=10}, and reports
 * p50/p90/p99/max of that and of the RTT the source host's switch measured.
 *
 * <p>Args: {@code [PROBES=300] [HOSTS=4]}. Needs the portal jar: {@code ./mvnw -pl portal -am
 * package -DskipTests}.
 */
public final class ProbeBench {

  private static final String PASSWORD = "Probe-bench-admin-1";
  private final RestClient rest;

  private ProbeBench(URI base) {
    this.rest = new RestClient(base);
  }

  public static void main(String[] args) throws Exception {
    int probes = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int hosts = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    Path jar =
        TwoReplicaLauncher.portalJar()
            .orElseThrow(() -> new IllegalStateException("build the portal jar first"));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path home = Files.createTempDirectory("weft-probe-bench");
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-jar",
                jar.toString(),
                "--server.port=" + port,
                "--weft.simulation.hosts=" + hosts,
                "--weft.diagnostics.probes-per-tenant-per-minute=100000",
                "--weft.diagnostics.probes-per-host-per-minute=100000")
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("portal.log").toFile())
            .directory(home.toFile());
    builder.environment().put("WEFT_HOME", home.toString());
    builder.environment().put("WEFT_ADMIN_PASSWORD", PASSWORD);
    Process app = builder.start();
    try {
      ProbeBench bench = new ProbeBench(URI.create("http://127.0.0.1:" + port));
      bench.run(probes, hosts, home);
    } finally {
      app.destroy();
      app.waitFor();
    }
  }

  private void run(int probes, int hosts, Path home) throws Exception {
    String admin = RestClient.basic("admin", PASSWORD);
    long started = System.nanoTime();
    RestClient.await(
        "the portal and " + hosts + " READY simulated hosts",
        Duration.ofSeconds(120),
        () -> readyHosts(admin) >= hosts);
    System.out.printf(
        Locale.ROOT,
        "portal up with %d hosts in %.1f s%n",
        hosts,
        (System.nanoTime() - started) / 1e9);
    String email = "bench-" + System.nanoTime() + "@acme.example";
    JsonNode tenant =
        rest.send(
            "POST",
            "/api/v1/signup",
            null,
            "{\"organization\":\"Bench\",\"adminEmail\":\""
                + email
                + "\",\"password\":\"a long passphrase 42\"}");
    String t = "/api/v1/tenants/" + tenant.path("id").asString();
    String user = RestClient.basic(email, "a long passphrase 42");
    String net =
        rest.send("POST", t + "/vm-networks", user, "{\"name\":\"bench\"}").path("id").asString();
    String subnet =
        rest.send(
                "POST",
                t + "/vm-networks/" + net + "/subnets",
                user,
                "{\"name\":\"web\",\"cidr\":\"10.0.0.0/24\"}")
            .path("id")
            .asString();
    List<String[]> vms = new ArrayList<>(); // nic id, address, host id
    for (int i = 0; i < hosts * 2; i++) {
      String address = "10.0.0." + (10 + i);
      JsonNode vm =
          rest.send(
              "POST",
              t + "/vms",
              user,
              "{\"name\":\"vm"
                  + i
                  + "\",\"nics\":[{\"subnetId\":\""
                  + subnet
                  + "\",\"addressing\":\"STATIC\",\"address\":\""
                  + address
                  + "\"}]}");
      String host =
          rest.send("GET", t + "/vms/" + vm.path("id").asString(), admin, null)
              .path("placement")
              .path("hostId")
              .asString();
      vms.add(new String[] {vm.path("nics").get(0).path("id").asString(), address, host});
    }
    List<String[]> pairs = new ArrayList<>();
    for (String[] a : vms) {
      for (String[] b : vms) {
        if (!a[2].equals(b[2])) {
          pairs.add(new String[] {a[0], b[1]});
        }
      }
    }
    System.out.printf(Locale.ROOT, "%d VMs, %d cross-host pairs%n", vms.size(), pairs.size());
    // Warm-up: until every VM answers (the simulated VMs come alive a moment after placement).
    for (String[] p : pairs) {
      RestClient.await(
          "a reply from " + p[1], Duration.ofSeconds(60), () -> probe(user, p).reached);
    }
    for (int i = 0; i < 50; i++) {
      probe(user, pairs.get(i % pairs.size()));
    }
    double[] total = new double[probes];
    double[] rtt = new double[probes];
    int failed = 0;
    for (int i = 0; i < probes; i++) {
      Result r = probe(user, pairs.get(i % pairs.size()));
      total[i] = r.millis;
      rtt[i] = r.rttMillis;
      if (!r.reached) {
        failed++;
      }
    }
    report("POST → answer (client)", total);
    report("RTT on the source switch", rtt);
    System.out.printf(
        Locale.ROOT,
        "probes %d, without a reply %d; portal log %s%n",
        probes,
        failed,
        home.resolve("portal.log"));
  }

  private record Result(double millis, double rttMillis, boolean reached) {}

  private Result probe(String user, String[] pair) throws Exception {
    long t0 = System.nanoTime();
    JsonNode started =
        rest.send(
            "POST",
            "/api/v1/diagnostics/probes",
            user,
            "{\"sourceVnicId\":\"" + pair[0] + "\",\"destination\":\"" + pair[1] + "\"}");
    JsonNode done =
        rest.send(
            "GET",
            "/api/v1/diagnostics/probes/" + started.path("id").asString() + "?wait=10",
            user,
            null);
    double millis = (System.nanoTime() - t0) / 1e6;
    JsonNode rtt = done.path("rttMillis");
    return new Result(
        millis,
        rtt.isEmpty() ? Double.NaN : rtt.get(0).asDouble(),
        done.path("reached").asBoolean());
  }

  private static void report(String what, double[] values) {
    double[] v = java.util.Arrays.stream(values).filter(d -> !Double.isNaN(d)).sorted().toArray();
    if (v.length == 0) {
      System.out.println(what + ": no values");
      return;
    }
    System.out.printf(
        Locale.ROOT,
        "%-26s n=%d  p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms%n",
        what,
        v.length,
        pct(v, 50),
        pct(v, 90),
        pct(v, 99),
        v[v.length - 1]);
  }

  private static double pct(double[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private long readyHosts(String admin) {
    try {
      long n = 0;
      for (JsonNode h : rest.send("GET", "/api/v1/hosts", admin, null)) {
        if (h.path("state").asString().equals("READY")) {
          n++;
        }
      }
      return n;
    } catch (IOException | RuntimeException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }
}
