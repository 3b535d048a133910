package io.weft.bench.lab;

import io.weft.bench.RestClient;
import io.weft.dataplane.agent.AgentOptions;
import io.weft.dataplane.agent.AgentProcess;
import io.weft.dataplane.lab.Lab;
import io.weft.dataplane.lab.LabAgentMain;
import io.weft.testkit.PostgresTestDatabase;
import io.weft.testkit.TwoReplicaLauncher;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./weft bench dhcp-fabric [VMS]}: the DHCP benchmark against a real fabric. The packaged
 * portal (PostgreSQL, a database of its own, no simulated hosts) holds a tenant with VMS DHCP VMs
 * in one /16, placed by the fabric on two lab hosts whose agents (linux backend, NVGRE, in this
 * JVM) poll it; each VM is a namespace {@code wl-<vNIC id>} with the tap of the host it runs on
 * (made as a hypervisor would). All busybox udhcpc clients start together (each blocks on a FIFO
 * until released). An agent that sees a DISCOVER for a port without an address asks the fabric for
 * one ({@code POST /api/v1/agent/leases}), the fabric allocates it and sends it in the next table
 * delta, the client's next DISCOVER (1 s later) gets its offer, and the agent reports the granted
 * lease in its status, which the fabric records (a LEASE observation with its expiry). Reports the
 * time from the start until every client holds its lease and until the fabric has recorded every
 * lease (read from its database). Needs root, busybox, PostgreSQL and the portal jar ({@code ./weft
 * bench} builds it for this harness).
 */
public final class DhcpFabricBench {

  private static final String PASSWORD = "Dhcp-bench-admin-1";

  private DhcpFabricBench() {}

  public static void main(String[] args) throws Exception {
    int vms = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    String reason = Lab.unavailableReason();
    if (reason == null) {
      reason = PostgresTestDatabase.unavailableReason().orElse(null);
    }
    if (reason != null) {
      System.err.println("bench dhcp-fabric: " + reason);
      System.exit(2);
    }
    Path jar =
        TwoReplicaLauncher.portalJar()
            .orElseThrow(() -> new IllegalStateException("build the portal jar first"));
    Path home = Files.createTempDirectory("weft-dhcp-fabric-bench");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (PostgresTestDatabase db = PostgresTestDatabase.create()) {
      ProcessBuilder builder =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "--enable-native-access=ALL-UNNAMED",
                  "-jar",
                  jar.toString(),
                  "--server.port=" + port,
                  "--weft.simulation.hosts=0")
              .redirectErrorStream(true)
              .redirectOutput(home.resolve("portal.log").toFile())
              .directory(home.toFile());
      Map<String, String> env = builder.environment();
      env.put("WEFT_HOME", home.toString());
      env.put("WEFT_ADMIN_PASSWORD", PASSWORD);
      env.put("WEFT_DB_URL", db.jdbcUrl());
      env.put("WEFT_DB_USER", db.user());
      env.put("WEFT_DB_PASSWORD", db.password());
      Process portal = builder.start();
      List<AgentProcess> agents = new ArrayList<>();
      try (Lab lab = Lab.start();
          Connection sql = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
        RestClient rest = new RestClient(URI.create("http://127.0.0.1:" + port));
        try {
          run(vms, rest, lab, sql, agents, home);
        } finally {
          for (AgentProcess a : agents) {
            a.close(); // before the lab deletes the namespaces their taps are in
          }
        }
      } finally {
        portal.destroy();
        portal.waitFor();
      }
    }
    System.out.println("portal log: " + home.resolve("portal.log"));
  }

  private static void run(
      int vms, RestClient rest, Lab lab, Connection sql, List<AgentProcess> agents, Path home)
      throws Exception {
    String admin = RestClient.basic("admin", PASSWORD);
    long t0 = System.nanoTime();
    RestClient.await(
        "the portal", Duration.ofSeconds(180), () -> rest.ok("GET", "/api/v1/hosts", admin));
    System.out.printf(Locale.ROOT, "portal up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    String ln =
        rest.send(
                "POST",
                "/api/v1/logical-networks",
                admin,
                "{\"name\":\"dhcp-bench\",\"paCidr\":\"192.168.77.0/24\",\"encapsulation\":\"NVGRE\"}")
            .path("id")
            .asString();
    Map<String, String> tapOfHost = new HashMap<>(); // fabric host id -> tap name
    List<String[]> hosts = new ArrayList<>(); // name, id, token
    for (int i = 1; i <= 2; i++) {
      JsonNode h =
          rest.send(
              "POST",
              "/api/v1/hosts",
              admin,
              "{\"name\":\"dhcp-bench-h"
                  + i
                  + "\",\"logicalNetworkId\":\""
                  + ln
                  + "\",\"providerAddress\":\""
                  + Lab.PA_NET
                  + i
                  + "\",\"vmSlots\":"
                  + vms
                  + "}");
      String id = h.path("host").path("id").asString();
      hosts.add(new String[] {"h" + i, id, h.path("agentToken").asString()});
      tapOfHost.put(id, "tap-h" + i);
    }
    String email = "dhcp-bench-" + System.nanoTime() + "@acme.example";
    JsonNode tenant =
        rest.send(
            "POST",
            "/api/v1/signup",
            null,
            "{\"organization\":\"DHCP bench\",\"adminEmail\":\""
                + email
                + "\",\"password\":\"a long passphrase 42\"}");
    String tenantId = tenant.path("id").asString();
    String t = "/api/v1/tenants/" + tenantId;
    rest.send(
        "PUT",
        t + "/quotas",
        admin,
        "{\"vmNetworks\":10,\"subnets\":50,\"vms\":"
            + (vms + 10)
            + ",\"vnics\":"
            + (vms + 10)
            + ",\"publicIps\":5}");
    String user = RestClient.basic(email, "a long passphrase 42");
    String net =
        rest.send("POST", t + "/vm-networks", user, "{\"name\":\"dhcp\"}").path("id").asString();
    String subnet =
        rest.send(
                "POST",
                t + "/vm-networks/" + net + "/subnets",
                user,
                "{\"name\":\"dhcp\",\"cidr\":\"10.20.0.0/16\"}")
            .path("id")
            .asString();
    rest.send(
        "POST",
        t + "/subnets/" + subnet + "/dhcp-ranges",
        user,
        "{\"start\":\"10.20.1.1\",\"end\":\"10.20.4.254\",\"leaseSeconds\":3600}");
    // The VMs and their namespaces exist before any host is READY, so no agent is ever given a
    // port whose tap the "hypervisor" has not made yet.
    long made = System.nanoTime();
    for (int i = 1; i <= 2; i++) {
      lab.host("h" + i, i);
    }
    List<String[]> nics = new ArrayList<>(); // vm id, nic id
    for (int i = 0; i < vms; i++) {
      JsonNode vm =
          rest.send(
              "POST",
              t + "/vms",
              user,
              String.format(
                  Locale.ROOT,
                  "{\"name\":\"q%03d\",\"nics\":[{\"subnetId\":\"%s\",\"addressing\":\"DHCP\"}]}",
                  i,
                  subnet));
      JsonNode nic = vm.path("nics").get(0);
      String ns = lab.netns(Lab.PREFIX + nic.path("id").asString());
      for (String tap : List.of("tap-h1", "tap-h2")) {
        lab.ip(ns, "tuntap", "add", "dev", tap, "mode", "tap");
        lab.ip(ns, "link", "set", tap, "address", nic.path("mac").asString(), "mtu", "1458");
      }
      nics.add(new String[] {vm.path("id").asString(), nic.path("id").asString()});
    }
    System.out.printf(
        Locale.ROOT,
        "%d DHCP VMs created through the fabric, their namespaces made, in %.1f s%n",
        vms,
        (System.nanoTime() - made) / 1e9);
    for (String[] h : hosts) {
      AgentOptions o =
          AgentOptions.parse(
              new String[] {
                "--fabric=" + rest.base(),
                "--token=" + h[2],
                "--host-id=" + h[1],
                "--backend=linux",
                "--state-dir=" + home.resolve(h[0]),
                "--http=off"
              },
              Map.of());
      agents.add(LabAgentMain.start(o, Lab.PREFIX + h[0], "tap-" + h[0]));
    }
    // Placement may still move a VM while the second host becomes READY: wait until the fabric's
    // placement of every VM and the ports each agent holds agree, then bring up that host's tap.
    Map<String, String> tapOfNic = new HashMap<>();
    RestClient.await(
        "every VM placed, its port held by that host's agent",
        Duration.ofSeconds(120),
        () -> {
          tapOfNic.clear();
          for (String[] n : nics) {
            String host =
                rest.send("GET", t + "/vms/" + n[0], admin, null)
                    .path("placement")
                    .path("hostId")
                    .asString();
            if (!tapOfHost.containsKey(host)) {
              return false;
            }
            tapOfNic.put(n[1], tapOfHost.get(host));
          }
          for (int h = 0; h < agents.size(); h++) {
            String tap = "tap-h" + (h + 1);
            java.util.Set<String> held = new java.util.HashSet<>();
            agents
                .get(h)
                .agent()
                .table()
                .networks()
                .forEach(network -> network.ports().forEach(p -> held.add(p.portId())));
            long placedHere = tapOfNic.values().stream().filter(tap::equals).count();
            if (held.size() != placedHere) {
              return false;
            }
            for (Map.Entry<String, String> e : tapOfNic.entrySet()) {
              if (e.getValue().equals(tap) && !held.contains(e.getKey())) {
                return false;
              }
            }
          }
          return true;
        });
    for (String[] n : nics) {
      lab.ip(Lab.PREFIX + n[1], "link", "set", tapOfNic.get(n[1]), "up");
    }
    System.out.printf(
        Locale.ROOT, "placed: %d on h1, %d on h2%n", ports(agents.get(0)), ports(agents.get(1)));
    Path go = Files.createTempDirectory("weft-dhcp-fabric-bench-").resolve("go");
    new ProcessBuilder("mkfifo", go.toString()).inheritIO().start().waitFor();
    List<Process> clients = new ArrayList<>();
    for (String[] n : nics) {
      String client =
          ": < "
              + go
              + "; exec busybox udhcpc -i "
              + tapOfNic.get(n[1])
              + " -f -q -n -t 60 -T 1 -s /bin/true";
      clients.add(lab.spawn(Lab.PREFIX + n[1], "sh", "-c", client));
    }
    ConcurrentLinkedQueue<Long> acks = new ConcurrentLinkedQueue<>();
    for (AgentProcess a : agents) {
      a.agent().onLeaseChange(() -> acks.add(System.nanoTime()));
    }
    Thread.sleep(500);
    long start = System.nanoTime();
    Files.newOutputStream(go).close(); // every client's open returns, then reads end of file
    // The fabric's side, every 50 ms: addresses it allocated, leases it recorded.
    List<long[]> timeline = new ArrayList<>(); // nanos since start, allocated, recorded
    Thread watcher =
        Thread.ofPlatform()
            .start(() -> {
              try {
                long[] last = {0, 0, 0};
                while (last[2] < vms && System.nanoTime() - start < 120_000_000_000L) {
                  last = new long[] {System.nanoTime() - start, allocated(sql), recorded(sql)};
                  synchronized (timeline) {
                    timeline.add(last);
                  }
                  Thread.sleep(50);
                }
              } catch (Exception e) {
                System.out.println("watching the fabric's records failed: " + e);
              }
            });
    int failed = 0;
    List<String> failedNics = new ArrayList<>();
    for (int i = 0; i < clients.size(); i++) {
      Process p = clients.get(i);
      p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      if (p.waitFor() != 0) {
        failed++;
        failedNics.add(nics.get(i)[0] + " " + nics.get(i)[1]);
      }
    }
    long allLeased = System.nanoTime() - start;
    watcher.join();
    Files.delete(go);
    Files.delete(go.getParent());
    List<Long> ackTimes = new ArrayList<>();
    for (long ack : acks) {
      ackTimes.add(ack - start);
    }
    ackTimes.sort(null);
    System.out.printf(
        Locale.ROOT,
        "%d clients started together: all exited after %.2f s, %d without a lease; %d ACKs%n",
        vms,
        allLeased / 1e9,
        failed,
        ackTimes.size());
    for (String f : failedNics) {
      String[] ids = f.split(" ");
      JsonNode vm = rest.send("GET", t + "/vms/" + ids[0], admin, null);
      System.out.println(
          "without a lease: vNIC "
              + ids[1]
              + " (client on "
              + tapOfNic.get(ids[1])
              + ", placed now on "
              + tapOfHost.get(vm.path("placement").path("hostId").asString())
              + ", address "
              + vm.path("nics").get(0).path("address")
              + ")");
      for (int h = 0; h < agents.size(); h++) {
        AgentProcess a = agents.get(h);
        boolean listed =
            a.agent().table().networks().stream()
                .anyMatch(n -> n.ports().stream().anyMatch(p -> p.portId().equals(ids[1])));
        System.out.println(
            "  agent h"
                + (h + 1)
                + ": port in its table "
                + listed
                + ", device problem "
                + a.backend().problems().get(ids[1])
                + ", counters "
                + a.backend().counters().join().ports().get(ids[1]));
      }
    }
    System.out.println("| share of VMs | fabric allocated | agent ACKed | fabric recorded |");
    System.out.println("|---:|---:|---:|---:|");
    for (int pct : new int[] {1, 25, 50, 75, 90, 100}) {
      int n = Math.max(1, vms * pct / 100);
      System.out.printf(
          Locale.ROOT,
          "| %d %% (%d) | %s | %s | %s |%n",
          pct,
          n,
          when(timeline, 1, n),
          ackTimes.size() >= n
              ? String.format(Locale.ROOT, "%.2f s", ackTimes.get(n - 1) / 1e9)
              : "-",
          when(timeline, 2, n));
    }
  }

  /** When the timeline's column {@code col} first reached {@code n}, as text ("-" if never). */
  private static String when(List<long[]> timeline, int col, int n) {
    synchronized (timeline) {
      for (long[] row : timeline) {
        if (row[col] >= n) {
          return String.format(Locale.ROOT, "%.2f s", row[0] / 1e9);
        }
      }
    }
    return "-";
  }

  /** DHCP vNICs the fabric has given an address. */
  private static long allocated(Connection sql) throws Exception {
    return count(
        sql, "SELECT count(*) FROM fabric_vnic WHERE addressing = 'DHCP' AND address IS NOT NULL");
  }

  /** vNICs whose granted lease the fabric has recorded (a LEASE observation with its expiry). */
  private static long recorded(Connection sql) throws Exception {
    return count(
        sql,
        "SELECT count(DISTINCT port_id) FROM recon_observation"
            + " WHERE kind = 'LEASE' AND lease_expires_at IS NOT NULL");
  }

  private static long count(Connection sql, String query) throws Exception {
    try (var st = sql.createStatement();
        ResultSet r = st.executeQuery(query)) {
      r.next();
      return r.getLong(1);
    }
  }

  private static int ports(AgentProcess agent) {
    return agent.agent().table().networks().stream().mapToInt(n -> n.ports().size()).sum();
  }
}
