package io.weft.dataplane.agent;

import static io.weft.dataplane.table.TableFixtures.ip;
import static io.weft.dataplane.table.TableFixtures.mac;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.backend.HostBackend;
import io.weft.dataplane.backend.memory.MemoryHost;
import io.weft.dataplane.backend.memory.MemoryUnderlay;
import io.weft.dataplane.capture.BoundedCapture;
import io.weft.dataplane.codec.FrameWriter;
import io.weft.dataplane.codec.Icmpv4;
import io.weft.dataplane.pipeline.CounterSnapshot;
import io.weft.dataplane.pipeline.LeaseEvent;
import io.weft.dataplane.pipeline.TraceStep;
import io.weft.dataplane.table.AddressingMode;
import io.weft.dataplane.table.Encapsulation;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.LookupRecord;
import io.weft.dataplane.table.PortEntry;
import io.weft.dataplane.table.TableFixtures;
import io.weft.dataplane.table.TableJson;
import io.weft.dataplane.table.VmNetworkTable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent as a process on the memory backend against a fake fabric: restart from the kept table
 * before the fabric answers, refusals (a device the backend cannot create, a PA the underlay
 * interface lacks) with the previous table still forwarding, leases across restarts, and the health
 * and metrics port.
 */
class AgentProcessTest {

  private static final String HOST = "host-1";
  private static final String P1_MAC = "02:00:00:00:00:10";
  private static final String P2_MAC = "02:00:00:00:00:11";

  @TempDir Path state;
  private FakeFabric fabric;
  private final List<AgentProcess> started = new ArrayList<>();
  private final List<MemoryHost> hosts = new ArrayList<>();
  private final LinkedBlockingQueue<byte[]> atP2 = new LinkedBlockingQueue<>();

  @BeforeEach
  void fabric() throws IOException {
    fabric = new FakeFabric();
  }

  @AfterEach
  void stop() throws IOException {
    for (AgentProcess p : started) {
      p.close();
    }
    fabric.close();
  }

  /** Two local VMs in one subnet, p1 and p2, plus any extra ports. */
  static HostTable table(long generation, String pa, String... extraPorts) {
    List<PortEntry> ports = new ArrayList<>();
    List<LookupRecord> records = new ArrayList<>();
    String[] macs = {P1_MAC, P2_MAC};
    String[] ids = {"p1", "p2"};
    for (int i = 0; i < 2; i++) {
      ports.add(
          PortEntry.guarded(
              ids[i],
              5001,
              mac(macs[i]),
              AddressingMode.STATIC,
              List.of(ip("10.0.0." + (10 + i)))));
      records.add(new LookupRecord(5001, ip("10.0.0." + (10 + i)), mac(macs[i]), ip(pa)));
    }
    for (int i = 0; i < extraPorts.length; i++) {
      String m = "02:00:00:00:01:" + String.format("%02x", i);
      ports.add(
          PortEntry.guarded(
              extraPorts[i],
              5001,
              mac(m),
              AddressingMode.STATIC,
              List.of(ip("10.0.0." + (50 + i)))));
      records.add(new LookupRecord(5001, ip("10.0.0." + (50 + i)), mac(m), ip(pa)));
    }
    return new HostTable(
        HOST,
        generation,
        Encapsulation.NVGRE,
        ip(pa),
        1400,
        List.of(
            new VmNetworkTable(
                TableFixtures.TENANT_A,
                List.of(TableFixtures.subnet(5001, "10.0.0.0/24", "10.0.0.1")),
                records,
                ports)));
  }

  private AgentOptions options(URI fabricUri, String... extra) throws AgentOptions.BadOption {
    List<String> args = new ArrayList<>();
    args.add("--fabric=" + fabricUri);
    args.add("--token=t");
    args.add("--host-id=" + HOST);
    args.add("--state-dir=" + state);
    args.add("--http=127.0.0.1:0");
    args.addAll(List.of(extra));
    return AgentOptions.parse(args.toArray(String[]::new), Map.of());
  }

  /** A memory backend that cannot create a device whose port id starts with "bad". */
  private AgentProcess.BackendFactory memory() {
    return (initial, leases) -> {
      MemoryHost host =
          new MemoryHost(
              initial, new MemoryUnderlay(), Executors.newSingleThreadExecutor(), leases);
      host.attach("p2", atP2::add);
      hosts.add(host);
      return new RefusingBackend(host);
    };
  }

  private AgentProcess start(AgentOptions o, UnderlayAddresses addresses) throws IOException {
    AgentProcess p = AgentProcess.start(o, memory(), addresses);
    started.add(p);
    return p;
  }

  private static UnderlayAddresses none() {
    return new FakeInterface();
  }

  private static byte[] ping(String fromMac, String fromIp, String toMac, String toIp) {
    byte[] b = new byte[200];
    int n =
        FrameWriter.icmpEchoV4(
            b,
            0,
            mac(toMac).value(),
            mac(fromMac).value(),
            ip(fromIp).v4Bits(),
            ip(toIp).v4Bits(),
            Icmpv4.ECHO_REQUEST,
            1,
            1,
            16);
    return Arrays.copyOf(b, n);
  }

  /** True when a ping from p1 reaches p2 through the current host's switch within 1 s. */
  private boolean p1ReachesP2() throws InterruptedException {
    atP2.clear();
    hosts.getLast().send("p1", ping(P1_MAC, "10.0.0.10", P2_MAC, "10.0.0.11"));
    return atP2.poll(1, TimeUnit.SECONDS) != null;
  }

  private static void await(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void aRestartedAgentForwardsFromItsKeptTableBeforeTheFabricAnswers() throws Exception {
    AgentProcess first = start(options(fabric.uri()), none());
    fabric.serve(table(5, "192.168.1.1"));
    await(() -> first.agent().generation() == 5, "the fabric's table");
    assertThat(p1ReachesP2()).isTrue();
    assertThat(state.resolve("table.json")).exists();
    first.close();
    started.remove(first);

    // The fabric is gone: nothing listens at this address.
    fabric.close();
    long t0 = System.nanoTime();
    AgentProcess second = start(options(URI.create("http://127.0.0.1:9")), none());
    assertThat(second.agent().generation()).as("from disk, before any answer").isEqualTo(5);
    assertThat(p1ReachesP2()).isTrue();
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    System.out.printf("[agent] restarted and forwarding again in %d ms, fabric down%n", ms);
    assertThat(ms).isLessThan(1000);
  }

  @Test
  void aTableNamingADeviceTheBackendCannotCreateIsRefusedAndTheOldOneKeepsForwarding()
      throws Exception {
    AgentProcess agent = start(options(fabric.uri()), none());
    fabric.serve(table(5, "192.168.1.1"));
    await(() -> agent.agent().generation() == 5, "the first table");
    fabric.serve(table(6, "192.168.1.1", "bad-port"));
    String status = fabric.statusContaining("bad-port");
    var rejection = TableJson.mapper().readTree(status).path("lastRejection");
    assertThat(rejection.path("generation").asLong()).isEqualTo(6);
    assertThat(rejection.path("reason").asString())
        .contains("cannot create devices")
        .contains("bad-port")
        .contains("Operation not permitted");
    assertThat(agent.agent().generation()).isEqualTo(5);
    assertThat(p1ReachesP2()).as("the previous table still forwards").isTrue();
    assertThat(Files.readString(state.resolve("table.json"))).contains("\"generation\":5");
    assertThat(metrics(agent)).contains("weft_agent_table_refusals_total 1");
  }

  @Test
  void thePaMustBeOnTheUnderlayInterfaceOrTheAgentRefusesAndSaysWhatItHas() throws Exception {
    FakeInterface eth9 = new FakeInterface("10.9.9.9/24", "fe80::1/64");
    AgentProcess agent = start(options(fabric.uri(), "--underlay-interface=eth9"), eth9);
    fabric.serve(table(5, "192.168.1.1"));
    String status = fabric.statusContaining("\"paConfigured\":false");
    var node = TableJson.mapper().readTree(status);
    assertThat(node.path("underlay").path("interfaceName").asString()).isEqualTo("eth9");
    assertThat(node.path("underlay").path("addresses").toString()).contains("10.9.9.9/24");
    assertThat(node.path("lastRejection").path("reason").asString())
        .contains("192.168.1.1 is not configured on eth9")
        .contains("10.9.9.9/24");
    assertThat(agent.agent().generation()).isZero();
    HttpResponse<String> health = get(agent, "/health");
    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(health.body()).contains("not configured on eth9");
    assertThat(metrics(agent)).contains("weft_agent_underlay_pa_configured 0");
  }

  @Test
  void withConfigurePaTheAgentAddsTheMissingPaInTheMatchingPrefix() throws Exception {
    FakeInterface eth9 = new FakeInterface("192.168.1.200/24");
    AgentProcess agent =
        start(options(fabric.uri(), "--underlay-interface=eth9", "--configure-pa"), eth9);
    fabric.serve(table(5, "192.168.1.1"));
    await(() -> agent.agent().generation() == 5, "the table");
    assertThat(eth9.added).containsExactly("192.168.1.1/24");
    assertThat(get(agent, "/health").statusCode()).isEqualTo(200);
  }

  @Test
  void dhcpLeasesSurviveARestart() throws Exception {
    AgentProcess first = start(options(fabric.uri()), none());
    first
        .leases()
        .leaseEvent(
            new LeaseEvent(
                LeaseEvent.Type.GRANTED, "p1", mac(P1_MAC), 5001, ip("10.0.0.10"), 3600));
    first.close();
    started.remove(first);
    assertThat(state.resolve("leases.json")).exists();
    AgentProcess second = start(options(fabric.uri()), none());
    assertThat(second.leases().leases())
        .singleElement()
        .satisfies(l -> assertThat(l.address()).isEqualTo(ip("10.0.0.10")));
    assertThat(fabric.statusContaining("\"leases\":[{")).contains("10.0.0.10");
  }

  @Test
  void metricsArePrometheusTextWithCountersPerPortAndDropReason() throws Exception {
    AgentProcess agent = start(options(fabric.uri()), none());
    fabric.serve(table(5, "192.168.1.1"));
    await(() -> agent.agent().generation() == 5, "the table");
    assertThat(p1ReachesP2()).isTrue();
    // A spoofed source: dropped and counted on p1.
    hosts.getLast().send("p1", ping(P1_MAC, "10.0.0.99", P2_MAC, "10.0.0.11"));
    await(
        () -> {
          try {
            return metrics(agent).contains("reason=\"SPOOFED_SOURCE\"} 1");
          } catch (Exception e) {
            return false;
          }
        },
        "the drop counted");
    String text = metrics(agent);
    assertThat(text)
        .contains("weft_agent_table_generation 5")
        .contains("weft_agent_port_rx_frames_total{port=\"p1\"} 2")
        .contains("weft_agent_port_tx_frames_total{port=\"p2\"} 1")
        .contains("weft_agent_port_drops_total{port=\"p1\",reason=\"SPOOFED_SOURCE\"} 1")
        .contains("weft_agent_drops_total{reason=\"SPOOFED_SOURCE\"} 1")
        .contains("# TYPE weft_agent_drops_total counter");
    Pattern sample = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[^}]*\\})? -?[0-9]+");
    for (String line : text.split("\n")) {
      if (!line.startsWith("# HELP ") && !line.startsWith("# TYPE ")) {
        assertThat(sample.matcher(line).matches()).as(line).isTrue();
      }
    }
    HttpResponse<String> health = get(agent, "/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(TableJson.mapper().readTree(health.body()).path("generation").asLong()).isEqualTo(5);
  }

  private static HttpResponse<String> get(AgentProcess agent, String path) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  private static String metrics(AgentProcess agent) throws Exception {
    HttpResponse<String> r = get(agent, "/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    return r.body();
  }

  /** An interface with fixed addresses that records what the agent adds. */
  static final class FakeInterface implements UnderlayAddresses {
    final List<String> addresses = new ArrayList<>();
    final List<String> added = new ArrayList<>();

    FakeInterface(String... addresses) {
      this.addresses.addAll(List.of(addresses));
    }

    @Override
    public List<String> of(String interfaceName) throws IOException {
      if (!interfaceName.equals("eth9")) {
        throw new IOException("there is no interface " + interfaceName);
      }
      return List.copyOf(addresses);
    }

    @Override
    public void add(String interfaceName, String cidr) {
      added.add(cidr);
      addresses.add(cidr);
    }
  }

  /** The memory backend, except that it cannot create devices for ports named "bad…". */
  record RefusingBackend(MemoryHost host) implements HostBackend {
    @Override
    public IpAddress pa() {
      return host.pa();
    }

    @Override
    public CompletableFuture<Void> install(HostTable table) {
      current = table;
      return host.install(table);
    }

    private static volatile HostTable current;

    @Override
    public Map<String, String> problems() {
      HostTable t = current;
      Map<String, String> out = new java.util.HashMap<>();
      if (t != null) {
        CheckedForwarder.portIds(t).stream()
            .filter(id -> id.startsWith("bad"))
            .forEach(id -> out.put(id, "TUNSETIFF: Operation not permitted"));
      }
      return out;
    }

    @Override
    public CompletableFuture<CounterSnapshot> counters() {
      return host.counters();
    }

    @Override
    public CompletableFuture<IpAddress> leasedAddress(String portId) {
      return host.leasedAddress(portId);
    }

    @Override
    public CompletableFuture<List<TraceStep>> injectProbe(String portId, byte[] frame) {
      return host.injectProbe(portId, frame);
    }

    @Override
    public io.weft.dataplane.pipeline.ProbeWatches probes() {
      return host.probes();
    }

    @Override
    public CompletableFuture<Void> capturePort(String portId, Path file) throws IOException {
      return host.capturePort(portId, file);
    }

    @Override
    public CompletableFuture<Void> captureUnderlay(Path file) throws IOException {
      return host.captureUnderlay(file);
    }

    @Override
    public CompletableFuture<String> attachCapture(String portId, BoundedCapture capture) {
      return host.attachCapture(portId, capture);
    }

    @Override
    public CompletableFuture<Void> detachCapture(String portId, BoundedCapture capture) {
      return host.detachCapture(portId, capture);
    }

    @Override
    public void stopCaptures() throws IOException {
      host.stopCaptures();
    }

    @Override
    public void close() throws IOException {
      host.close();
    }
  }
}
