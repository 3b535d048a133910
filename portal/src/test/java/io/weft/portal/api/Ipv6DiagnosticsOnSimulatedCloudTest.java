package io.weft.portal.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.sim.SimulatedHost;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.TableMessage;
import io.weft.portal.H2ApplicationTest;
import io.weft.portal.Hops;
import io.weft.portal.api.SimulatedCloud.LiveVm;
import io.weft.portal.simulation.SimulatedCloudRunner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Diagnostics for a tenant whose VM subnets are IPv6, on the default simulated cloud (the context
 * of the other simulated-cloud tests): the one answer's live probe sends ICMPv6 echoes between VMs
 * on two hosts and gets the simulated VM's own reply with the path, the host's neighbour
 * advertisement for the gateway checked instead of ARP; an address nobody has and a source host
 * forwarding without the destination's lookup record are named; another tenant probing, tracing or
 * capturing the victim's IPv6 vNIC gets 404; bad fields are named; captures filtered by an IPv6
 * address keep exactly the probe's packets, on a vNIC and inside NVGRE on the underlay.
 */
@SimulatedCloudTest
class Ipv6DiagnosticsOnSimulatedCloudTest {

  private static final String PATH = "/api/v1/diagnostics/connectivity";
  private static final Duration WAIT = Duration.ofSeconds(45);

  @LocalServerPort int port;
  @Autowired SimulatedCloudRunner simulation;

  private SimulatedCloud cloud() {
    return new SimulatedCloud(port, simulation);
  }

  @Test
  void aTenantOnIpv6ProbesAcrossHostsAndBrokenPathsAreNamed() throws Exception {
    ApiClient operator = ApiClient.basic(port, "admin", H2ApplicationTest.ADMIN_PASSWORD);
    cloud().awaitReadyHosts();
    ApiTenant t = ApiTenant.signUp(port, "six");
    String[] subnets = SimulatedCloud.subnets(t, "six", "fd00:0:0:1::/64", "fd00:0:0:2::/64");
    List<LiveVm> vms = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      vms.add(cloud().liveVm(t, "six" + i, subnets[0], "fd00:0:0:1::" + (10 + i)));
    }
    LiveVm from = vms.getFirst();
    LiveVm to = SimulatedCloud.onAnotherHost(vms, from);
    Map<String, Object> ping =
        SimulatedCloud.awaitWorks("the hosts apply the intended entries", t, from, to.address());

    JsonNode works = t.api().post(PATH, ping).body();
    assertThat(works.path("works").asBoolean()).as(works.toString()).isTrue();
    assertThat(works.path("sentence").asString())
        .startsWith("Works: " + to.address() + " answered the live probe in ");
    assertThat(works.path("packet").asString()).isEqualTo("ICMPv6 echo, 104 bytes");
    assertThat(works.path("intended").path("reachable").asBoolean()).isTrue();
    assertThat(works.path("intended").path("steps").toString())
        .contains("neighbour solicitation for " + to.address());
    List<String> path = new ArrayList<>();
    works
        .path("path")
        .forEach(h -> path.add(h.path("kind").asString() + " " + h.path("state").asString()));
    assertThat(path).containsExactly("VM OK", "HOST OK", "HOST OK", "VM OK");
    JsonNode probe = works.path("probe");
    assertThat(probe.path("reached").asBoolean()).isTrue();
    JsonNode gateway = probe.path("checks").get(0);
    assertThat(gateway.path("name").asString()).isEqualTo("GATEWAY_ND");
    assertThat(gateway.path("ok").asBoolean()).isTrue();
    List<String> hops = Hops.probed(probe);
    assertThat(hops)
        .contains(
            "source host REQUEST ENCAPSULATE",
            "destination host REQUEST DECAPSULATE",
            "destination host REQUEST DELIVER",
            // The simulated VM's own ICMPv6 reply, seen as it entered its host's switch.
            "destination host REPLY PORT_SECURITY",
            "source host REPLY DELIVER");
    assertThat(works.toString()).doesNotContain(to.hostName()).doesNotContain("192.168.100.");

    // Routed to the other IPv6 subnet of the VM network.
    LiveVm routed = cloud().liveVm(t, "six-db", subnets[1], "fd00:0:0:2::10");
    SimulatedCloud.awaitWorks("the route to the second subnet", t, from, routed.address());

    // An address nobody has: the trace names the missing record, the probe the unanswered ND.
    JsonNode nobody =
        t.api()
            .post(PATH, Map.of("sourceVnicId", from.nic(), "destination", "fd00:0:0:1::99"))
            .body();
    assertThat(nobody.path("works").asBoolean()).isFalse();
    assertThat(nobody.path("sentence").asString())
        .startsWith("Dropped on the source host: no lookup record for fd00:0:0:1::99 in VSID ")
        .contains("no VM of the tenant has that address");
    assertThat(nobody.path("probe").path("summary").asString())
        .contains("neighbour solicitation for fd00:0:0:1::99 is not answered there");

    // The source host forwards without the destination's lookup record: the live drop and why.
    SimulatedHost source = simulation.host(from.host()).orElseThrow();
    HostTable intended = source.agent().table();
    source
        .agent()
        .apply(new TableMessage.Snapshot(SimulatedCloud.withoutRecord(intended, to.address())));
    assertThat(source.tableClient().reportStatus()).isTrue();
    try {
      JsonNode stale = t.api().post(PATH, ping).body();
      assertThat(stale.path("works").asBoolean()).as(stale.toString()).isFalse();
      assertThat(stale.path("sentence").asString())
          .as(stale.toString())
          .startsWith("Dropped on the source host: ")
          .contains("no lookup record for " + to.address())
          .contains("the source host applies other entries for this VM network");
      assertThat(stale.path("intended").path("reachable").asBoolean()).isTrue();
      assertThat(stale.toString()).doesNotContain(from.hostName()).doesNotContain("192.168.100.");
    } finally {
      source.agent().apply(new TableMessage.Snapshot(intended));
      source.tableClient().reportStatus();
    }

    // The attacker: the victim's IPv6 vNIC exists for no other tenant.
    ApiTenant attacker = ApiTenant.signUp(port, "six");
    for (String call : List.of(PATH, "/api/v1/diagnostics/probes", "/api/v1/diagnostics/trace")) {
      ApiClient.Response stolen = attacker.api().post(call, ping);
      assertThat(stolen.status()).as(call + ": " + stolen).isEqualTo(404);
      assertThat(stolen.body().path("field").asString()).isEqualTo("sourceVnicId");
      assertThat(stolen.body().toString()).doesNotContain(to.address());
    }
    ApiClient.Response sniff =
        attacker
            .api()
            .post(
                "/api/v1/diagnostics/captures",
                Map.of("vnicId", to.nic(), "packets", 2, "seconds", 5, "bytes", 65536));
    assertThat(sniff.status()).isEqualTo(404);
    assertThat(
            attacker
                .api()
                .get("/api/v1/diagnostics/probes/" + probe.path("id").asString())
                .status())
        .isEqualTo(404);

    // Bad input names its field.
    assertThat(refused(t, from, PATH, Map.of("destination", "fd00::zz"))).isEqualTo("destination");
    assertThat(refused(t, from, PATH, Map.of("destination", "10.0.0.1")))
        .as("another address family than the vNIC's")
        .isEqualTo("destination");
    assertThat(
            refused(
                t,
                from,
                "/api/v1/diagnostics/probes",
                Map.of("destination", to.address(), "size", 63)))
        .isEqualTo("size");
    assertThat(
            refused(
                t,
                from,
                "/api/v1/diagnostics/trace",
                Map.of("destination", to.address(), "sourceAddress", "10.0.0.5")))
        .isEqualTo("sourceAddress");
  }

  @Test
  void capturesFilteredByAnIpv6AddressKeepTheProbesPacketsOnTheVnicAndInsideNvgre()
      throws Exception {
    ApiClient operator = ApiClient.basic(port, "admin", H2ApplicationTest.ADMIN_PASSWORD);
    cloud().awaitReadyHosts();
    ApiTenant t = ApiTenant.signUp(port, "six-cap");
    String subnet = SimulatedCloud.subnets(t, "six", "fd00:0:0:7::/64")[0];
    LiveVm a = cloud().liveVm(t, "cap6-a", subnet, "fd00:0:0:7::10");
    LiveVm b = cloud().liveVm(t, "cap6-b", subnet, "fd00:0:0:7::11");
    if (a.host().equals(b.host())) {
      b = cloud().liveVm(t, "cap6-c", subnet, "fd00:0:0:7::12");
    }
    assertThat(b.host()).as("spread placement").isNotEqualTo(a.host());
    LiveVm dest = b;
    Map<String, Object> ping =
        SimulatedCloud.awaitWorks("the hosts apply the intended entries", t, a, dest.address());

    ApiClient.Response malformed =
        t.api()
            .post(
                "/api/v1/diagnostics/captures",
                Map.of(
                    "vnicId",
                    dest.nic(),
                    "packets",
                    2,
                    "seconds",
                    5,
                    "bytes",
                    65536,
                    "address",
                    "fd00::zz"));
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.body().path("field").asString()).isEqualTo("address");

    // On the destination's vNIC: packets from or to the source's address (request and reply).
    ApiClient.Response onVnic =
        t.api()
            .post(
                "/api/v1/diagnostics/captures",
                Map.of(
                    "vnicId",
                    dest.nic(),
                    "packets",
                    2,
                    "seconds",
                    20,
                    "bytes",
                    65536,
                    "address",
                    a.address(),
                    "protocol",
                    "ICMP"));
    assertThat(onVnic.status()).as(onVnic.toString()).isEqualTo(202);
    assertThat(onVnic.body().path("filter").asString())
        .isEqualTo("address " + a.address() + " ICMPv6");
    // On the source host's underlay: NVGRE packets whose inner IPv6 packet is to or from dest.
    ApiClient.Response underlay =
        operator.post(
            "/api/v1/diagnostics/captures",
            Map.of(
                "hostId",
                a.host(),
                "packets",
                2,
                "seconds",
                20,
                "bytes",
                65536,
                "address",
                dest.address()));
    assertThat(underlay.status()).as(underlay.toString()).isEqualTo(202);

    for (int i = 0; i < 10 && !(done(operator, underlay.id()) && done(t.api(), onVnic.id())); i++) {
      assertThat(t.api().post(PATH, ping).body().path("works").asBoolean()).isTrue();
    }
    ApiWaits.await("the underlay capture DONE", WAIT, () -> done(operator, underlay.id()));
    ApiWaits.await("the vNIC capture DONE", WAIT, () -> done(t.api(), onVnic.id()));

    byte[] source = IpAddress.parse(a.address()).toBytes();
    byte[] destination = IpAddress.parse(dest.address()).toBytes();
    List<byte[]> onPort = records(download(onVnic.id(), t.adminEmail()));
    assertThat(onPort).hasSize(2);
    for (byte[] frame : onPort) {
      assertThat((frame[12] & 0xFF) << 8 | frame[13] & 0xFF).as("EtherType IPv6").isEqualTo(0x86DD);
      assertThat(frame[14 + 6]).as("next header ICMPv6").isEqualTo((byte) 58);
      assertThat(contains(frame, source)).isTrue();
    }
    List<byte[]> outer = records(download(underlay.id(), "admin"));
    assertThat(outer).hasSize(2);
    for (byte[] packet : outer) {
      assertThat(contains(packet, destination)).as("the inner IPv6 packet's address").isTrue();
    }
  }

  private static String refused(ApiTenant t, LiveVm from, String call, Map<String, Object> fields) {
    Map<String, Object> body = new HashMap<>(fields);
    body.put("sourceVnicId", from.nic());
    ApiClient.Response r = t.api().post(call, body);
    assertThat(r.status()).as(call + " " + fields + ": " + r).isEqualTo(400);
    return r.body().path("field").asString();
  }

  private static boolean done(ApiClient api, String id) {
    String state = api.get("/api/v1/diagnostics/captures/" + id).body().path("state").asString();
    assertThat(state).as("capture " + id).isNotEqualTo("FAILED");
    return state.equals("DONE");
  }

  private byte[] download(String id, String user) throws Exception {
    String password = user.equals("admin") ? H2ApplicationTest.ADMIN_PASSWORD : ApiTenant.PASSWORD;
    String auth =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    HttpResponse<byte[]> file =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://localhost:"
                                + port
                                + "/api/v1/diagnostics/captures/"
                                + id
                                + "/pcap"))
                    .header("Authorization", "Basic " + auth)
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(file.statusCode()).isEqualTo(200);
    return file.body();
  }

  /** The records of a little-endian pcap file (the writers' byte order). */
  private static List<byte[]> records(byte[] pcap) {
    ByteBuffer b = ByteBuffer.wrap(pcap).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.getInt(0)).as("pcap magic").isEqualTo(0xA1B2C3D4);
    List<byte[]> out = new ArrayList<>();
    int p = 24;
    while (p + 16 <= pcap.length) {
      int captured = b.getInt(p + 8);
      out.add(Arrays.copyOfRange(pcap, p + 16, p + 16 + captured));
      p += 16 + captured;
    }
    return out;
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return true;
      }
    }
    return false;
  }
}
