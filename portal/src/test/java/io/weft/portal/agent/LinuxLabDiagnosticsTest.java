package io.weft.portal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.dataplane.lab.Lab;
import io.weft.dataplane.table.TableJson;
import io.weft.fabric.Subnet;
import io.weft.portal.H2ApplicationTest;
import io.weft.portal.Hops;
import io.weft.portal.agent.FabricLab.LabHost;
import io.weft.portal.agent.FabricLab.LabVm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Diagnostics on the lab's real Linux hosts ({@link LinuxLabCloud}): a tenant's probe through the
 * REST API crosses two Linux agents and its reply comes from the VM's own kernel; a VM that set its
 * interface down is named, also when the destination's agent is a process of its own; captures on a
 * tap and on the underlay are taken by the kernel and read by tshark. And the lab's probe
 * benchmark.
 */
@H2ApplicationTest
@ExtendWith(LinuxLabCloud.ClosedAtTheEnd.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(2)
class LinuxLabDiagnosticsTest {

  @Autowired ApplicationContext context;

  private LinuxLabCloud cloud;
  private FabricLab lab;
  private LabHost h1;
  private LabHost h2;
  private LabHost h3;
  private Path state;
  @Autowired JdbcClient jdbc;
  private Subnet subnet;
  private LabVm a;
  private LabVm b;
  private LabVm m;

  @BeforeAll
  void cloud() throws Exception {
    cloud = LinuxLabCloud.start(context);
    lab = cloud.lab;
    h1 = cloud.h1;
    h2 = cloud.h2;
    h3 = cloud.h3;
    state = cloud.state;
    subnet = cloud.subnet;
    a = cloud.a;
    b = cloud.b;
    m = cloud.m;
  }

  @AfterAll
  void done() throws Exception {
    LinuxLabCloud.finished(getClass());
  }

  @Test
  @Order(1)
  void aProbeThroughTheApiCrossesTwoLinuxHostsAndTheReplyComesFromTheVmsOwnKernel()
      throws Exception {
    assertThat(lab.reaches(a, b.address())).isTrue();
    long repliesBefore = echoRepliesSent(b);
    JsonNode answer =
        tenantApi()
            .probe(Map.of("sourceVnicId", a.portId(), "destination", b.address(), "count", 3));
    System.out.println("probe a -> b on the lab: " + answer);
    assertThat(answer.path("state").asString()).as(answer.toString()).isEqualTo("DONE");
    assertThat(answer.path("reached").asBoolean()).as(answer.toString()).isTrue();
    assertThat(answer.path("summary").asString()).startsWith("Reply received: " + b.address());
    assertThat(answer.path("sent").asInt()).isEqualTo(3);
    assertThat(answer.path("rttMillis")).hasSize(3);
    answer.path("rttMillis").forEach(r -> assertThat(r.asDouble()).isPositive().isLessThan(1000));
    List<String> hops = Hops.probed(answer);
    assertThat(hops)
        .as("every switch on the path")
        .contains(
            "source host REQUEST PORT_SECURITY", // received from a's vNIC
            "source host REQUEST ENCAPSULATE",
            "destination host REQUEST DECAPSULATE",
            "destination host REQUEST DELIVER",
            // b's kernel answered: its reply entered h2's switch at b's tap.
            "destination host REPLY PORT_SECURITY",
            "destination host REPLY ENCAPSULATE",
            "source host REPLY DECAPSULATE",
            "source host REPLY DELIVER");
    assertThat(echoRepliesSent(b) - repliesBefore)
        .as("echo replies b's own kernel sent (its /proc/net/snmp)")
        .isGreaterThanOrEqualTo(3);
    assertThat(answer.toString())
        .as("a tenant sees no host name or PA")
        .doesNotContain(Lab.PA_NET)
        .doesNotContain("lab-h");
  }

  @Test
  @Order(2)
  void aProbeToAVmThatSetItsInterfaceDownSaysSo() throws Exception {
    // a (h1) probes b (h2, its agent a process of its own), whose VM took its interface down:
    // h2's agent delivers, the kernel refuses the write, and h2 says why no reply came.
    lab.lab().ip(b.ns(), "link", "set", h2.tap(), "down");
    try {
      JsonNode answer =
          tenantApi()
              .probe(
                  Map.of(
                      "sourceVnicId", a.portId(), "destination", b.address(), "timeoutMs", 1000));
      System.out.println("probe a -> b with b's interface down: " + answer);
      assertThat(answer.path("reached").asBoolean()).as(answer.toString()).isFalse();
      assertThat(answer.path("summary").asString())
          .as(answer + "\n" + lab.agentLog(h2))
          .startsWith("No reply: the request reached " + b.address() + "'s vNIC")
          .contains("the VM has set its interface down");
    } finally {
      lab.lab().ip(b.ns(), "link", "set", h2.tap(), "up");
      lab.lab().ip(b.ns(), "route", "replace", "default", "via", b.gateway(), "dev", h2.tap());
    }
    assertThat(lab.reaches(a, b.address())).as("b answers again once its link is up").isTrue();
  }

  @Test
  @Order(3)
  void capturesOnATapAndOnTheUnderlayAreTakenByTheKernelAndTsharkReadsTheVsid() throws Exception {
    String noLibpcap = libpcapMissing();
    if (noLibpcap != null || !Files.isExecutable(Path.of("/usr/bin/tshark"))) {
      String why = noLibpcap != null ? noLibpcap : "tshark is not installed";
      System.out.println("SKIPPED (captures on the lab): " + why);
      assumeTrue(false, why);
    }
    LabApi operator = cloud.operatorApi();
    LabApi tenantApi = tenantApi();
    var underlay =
        operator.post(
            "/api/v1/diagnostics/captures",
            Map.of(
                "hostId",
                h1.id().toString(),
                "packets",
                4,
                "seconds",
                20,
                "bytes",
                65536,
                "vsid",
                subnet.vsid(),
                "address",
                b.address(),
                "protocol",
                "ICMP"));
    assertThat(underlay.status()).as(underlay.body().toString()).isEqualTo(202);
    var onVnic =
        tenantApi.post(
            "/api/v1/diagnostics/captures",
            Map.of(
                "vnicId",
                a.portId(),
                "packets",
                4,
                "seconds",
                20,
                "bytes",
                65536,
                "protocol",
                "ICMP"));
    assertThat(onVnic.status()).as(onVnic.body().toString()).isEqualTo(202);
    String underlayId = underlay.body().path("id").asString();
    String vnicId = onVnic.body().path("id").asString();
    // a pings m (which the underlay filter leaves out) and b until both captures are full.
    for (int i = 0;
        i < 40
            && !(captureState(operator, underlayId).equals("DONE")
                && captureState(tenantApi, vnicId).equals("DONE"));
        i++) {
      lab.ping(a, m.address(), "-c", "1", "-W", "1");
      lab.ping(a, b.address(), "-c", "2", "-i", "0.05", "-W", "1");
    }
    FabricLab.await(
        () ->
            captureState(operator, underlayId).equals("DONE")
                && captureState(tenantApi, vnicId).equals("DONE"),
        "both captures DONE");
    for (String id : List.of(underlayId, vnicId)) {
      assertThat(commandOf(id).result().path("capturedBy").asString())
          .as("the agent's answer to the CAPTURE command")
          .startsWith("libpcap on ")
          .contains("BPF '");
    }
    Path underlayPcap = operator.download(underlayId, state.resolve("underlay.pcap"));
    List<String> packets = LabApi.tshark(underlayPcap, "gre.key", "ip.src", "ip.dst", "icmp.type");
    System.out.println("underlay capture on h1 (tshark): " + packets);
    assertThat(packets).hasSize(4);
    for (String line : packets) {
      String[] f = line.split("\t");
      assertThat(Long.decode(f[0]) >>> 8).as("gre.key of " + line).isEqualTo(subnet.vsid());
      assertThat(f[1] + " " + f[2])
          .as("outer and inner addresses of " + line)
          .contains(Lab.PA_NET)
          .contains(b.address());
    }
    Path vnicPcap = tenantApi.download(vnicId, state.resolve("vnic.pcap"));
    List<String> frames = LabApi.tshark(vnicPcap, "ip.src", "ip.dst", "icmp.type");
    System.out.println("capture on a's tap (tshark): " + frames);
    assertThat(frames).hasSize(4).allMatch(l -> l.contains("10.6.0."));
  }

  /**
   * Not a test: the lab's probe benchmark ({@code ./weft bench lab-probe [PROBES]} sets {@code
   * weft.bench.lab-probes}). Times probes between VMs on different Linux hosts through the REST
   * API, one at a time, from the POST to the answer of {@code GET …?wait=10}, and the RTT the
   * source switch measured; prints p50/p90/p99/max. The tenant's rate limit (30 a minute) is not
   * what is measured, so each finished probe's row is dated back out of the limit's minute.
   */
  @Test
  @Order(20)
  void probeLatencyAcrossLinuxHosts() throws Exception {
    int probes = Integer.getInteger("weft.bench.lab-probes", 0);
    assumeTrue(probes > 0, "a benchmark, run by ./weft bench lab-probe [PROBES]");
    List<Map<String, Object>> pairs =
        List.of(
            Map.of("sourceVnicId", a.portId(), "destination", b.address()),
            Map.of("sourceVnicId", b.portId(), "destination", a.address()),
            Map.of("sourceVnicId", a.portId(), "destination", m.address()));
    LabApi api = tenantApi();
    for (int i = 0; i < 20; i++) { // warm-up: both JVMs' paths compiled, connections open
      benchProbe(api, pairs.get(i % pairs.size()));
    }
    double[] total = new double[probes];
    double[] rtt = new double[probes];
    int failed = 0;
    for (int i = 0; i < probes; i++) {
      double[] r = benchProbe(api, pairs.get(i % pairs.size()));
      total[i] = r[0];
      rtt[i] = r[1];
      failed += Double.isNaN(r[1]) ? 1 : 0;
    }
    LabApi.printPercentiles("POST -> answer (client)", total);
    LabApi.printPercentiles("RTT on the source switch", rtt);
    System.out.printf(
        "lab probes %d across hosts (h1->h2, h2->h1, h1->%s), without a reply %d%n",
        probes, lab.hostOf(m).equals(h3.id()) ? "h3" : "h2", failed);
  }

  /** One probe: milliseconds from POST to answer, and the first RTT (NaN without a reply). */
  private double[] benchProbe(LabApi api, Map<String, Object> pair) throws Exception {
    long t0 = System.nanoTime();
    JsonNode answer = api.probe(pair);
    double millis = (System.nanoTime() - t0) / 1e6;
    jdbc.sql("UPDATE diag_probe SET created_at = :past WHERE id = :id")
        .param("past", java.sql.Timestamp.from(Instant.now().minusSeconds(120)))
        .param("id", UUID.fromString(answer.path("id").asString()))
        .update();
    JsonNode rtts = answer.path("rttMillis");
    return new double[] {millis, rtts.isEmpty() ? Double.NaN : rtts.get(0).asDouble()};
  }

  /** Whether libpcap can be loaded here, or why not. */
  private static String libpcapMissing() {
    try {
      org.pcap4j.core.Pcaps.libVersion();
      return null;
    } catch (LinkageError | RuntimeException e) {
      return "libpcap is not installed (apt-get install libpcap0.8): " + e;
    }
  }

  private record CommandRow(String state, JsonNode result) {}

  /** The CAPTURE command behind a capture, as the fabric keeps it. */
  private CommandRow commandOf(String captureId) {
    return jdbc.sql(
            "SELECT c.state, c.result FROM diag_agent_command c JOIN diag_capture d"
                + " ON d.command_id = c.id WHERE d.id = :id")
        .param("id", UUID.fromString(captureId))
        .query((rs, n) ->
            new CommandRow(
                rs.getString(1),
                rs.getString(2) == null
                    ? TableJson.mapper().createObjectNode()
                    : TableJson.mapper().readTree(rs.getString(2))))
        .optional()
        .orElse(new CommandRow("NONE", TableJson.mapper().createObjectNode()));
  }

  private static String captureState(LabApi api, String id) {
    try {
      String s = api.get("/api/v1/diagnostics/captures/" + id).body().path("state").asString();
      assertThat(s).as("capture " + id).isNotEqualTo("FAILED");
      return s;
    } catch (AssertionError e) {
      throw e;
    } catch (Exception e) {
      return "?";
    }
  }

  /** The ICMP echo replies {@code vm}'s kernel has sent ({@code Icmp: OutEchoReps}). */
  private long echoRepliesSent(LabVm vm) throws Exception {
    List<String> lines =
        lab.lab()
            .exec(vm.ns(), FabricLab.T, "cat", "/proc/net/snmp")
            .lines()
            .filter(l -> l.startsWith("Icmp:"))
            .toList();
    List<String> names = List.of(lines.get(0).split("\\s+"));
    return Long.parseLong(lines.get(1).split("\\s+")[names.indexOf("OutEchoReps")]);
  }

  private LabApi tenantApi() {
    return cloud.tenantApi();
  }
}
