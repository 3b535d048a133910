package io.weft.portal.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.weft.dataplane.sim.PingResult;
import io.weft.dataplane.table.IpAddress;
import io.weft.portal.H2ApplicationTest;
import io.weft.portal.simulation.SimulatedCloudRunner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Captures on the simulated cloud, through the agent command path: an operator's underlay capture
 * filtered by VSID opens in tshark with that VSID in every gre.key; a tenant captures its own vNIC
 * and nobody else can see or download it; bounds are required and limited, captures per host too.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:weft-simulated-cloud;DB_CLOSE_DELAY=-1",
      "weft.admin-password=" + H2ApplicationTest.ADMIN_PASSWORD,
      "weft.simulation.hosts=3",
      "weft.home=target/simulated-cloud-test"
    })
class CapturesOnSimulatedCloudTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @LocalServerPort int port;
  @Autowired SimulatedCloudRunner simulation;

  @Test
  void anUnderlayCaptureShowsTheVsidInGreKeyAndOnlyItsTenantDownloadsAVnicCapture(@TempDir Path dir)
      throws Exception {
    ApiClient operator = ApiClient.basic(port, "admin", H2ApplicationTest.ADMIN_PASSWORD);
    ApiWaits.awaitReadyHosts(operator, 3, WAIT);
    ApiTenant t = ApiTenant.signUp(port, "cap");
    var net = t.api().post(t.path("/vm-networks"), Map.of("name", "cap"));
    var subnet =
        t.api()
            .post(
                t.path("/vm-networks/" + net.id() + "/subnets"),
                Map.of("name", "web", "cidr", "10.9.0.0/24"));
    int vsid = subnet.body().path("vsid").asInt();
    String[] one = staticVm(t, "cap-1", subnet.id(), "10.9.0.10");
    String[] two = staticVm(t, "cap-2", subnet.id(), "10.9.0.11");
    String host1 =
        operator.get(t.path("/vms/" + one[0])).body().path("placement").path("hostId").asString();
    String host2 =
        operator.get(t.path("/vms/" + two[0])).body().path("placement").path("hostId").asString();
    assertThat(host1).as("spread placement").isNotEqualTo(host2);
    ApiWaits.await(
        "both VMs alive",
        WAIT,
        () -> simulation.vm(one[1]).isPresent() && simulation.vm(two[1]).isPresent());

    var underlay =
        operator.post(
            "/api/v1/diagnostics/captures",
            Map.of("hostId", host1, "packets", 6, "seconds", 20, "bytes", 65536, "vsid", vsid));
    assertThat(underlay.status()).as(underlay.toString()).isEqualTo(202);
    var onVnic =
        t.api()
            .post(
                "/api/v1/diagnostics/captures",
                Map.of(
                    "vnicId",
                    one[1],
                    "packets",
                    4,
                    "seconds",
                    20,
                    "bytes",
                    65536,
                    "protocol",
                    "ICMP"));
    assertThat(onVnic.status()).as(onVnic.toString()).isEqualTo(202);
    assertThat(onVnic.body().toString()).doesNotContain(host1);

    var third =
        operator.post(
            "/api/v1/diagnostics/captures",
            Map.of("hostId", host1, "packets", 5, "seconds", 5, "bytes", 65536));
    assertThat(third.status()).as("two captures per host at once").isEqualTo(409);

    PingResult last = null;
    for (int i = 0;
        i < 20 && !(last != null && last.success() && done(operator, underlay.id()));
        i++) {
      last =
          simulation
              .vm(one[1])
              .orElseThrow()
              .ping(IpAddress.parse("10.9.0.11"), Duration.ofSeconds(1))
              .join();
    }
    assertThat(last.success()).as(String.valueOf(last)).isTrue();
    ApiWaits.await("the underlay capture DONE", WAIT, () -> done(operator, underlay.id()));
    ApiWaits.await("the vNIC capture DONE", WAIT, () -> done(t.api(), onVnic.id()));

    Path pcap = dir.resolve("underlay.pcap");
    HttpResponse<byte[]> file = download(underlay.id(), "admin", H2ApplicationTest.ADMIN_PASSWORD);
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(file.headers().firstValue("Content-Type").orElse("")).contains("pcap");
    Files.write(pcap, file.body());
    var status = operator.get("/api/v1/diagnostics/captures/" + underlay.id()).body();
    assertThat(status.path("packets").asInt()).isBetween(1, 6);
    assertThat(status.path("sizeBytes").asInt())
        .isEqualTo(file.body().length)
        .isLessThanOrEqualTo(65536);
    List<String> keys = tshark(pcap, "gre.key");
    assertThat(keys).hasSize(status.path("packets").asInt());
    for (String key : keys) {
      assertThat(Long.decode(key) >>> 8)
          .as("gre.key " + key + " carries VSID " + vsid)
          .isEqualTo(vsid);
    }

    HttpResponse<byte[]> mine = download(onVnic.id(), t.adminEmail(), "a long passphrase 42");
    assertThat(mine.statusCode()).isEqualTo(200);
    Path vnicPcap = dir.resolve("vnic.pcap");
    Files.write(vnicPcap, mine.body());
    assertThat(tshark(vnicPcap, "ip.src")).isNotEmpty().allMatch(a -> a.startsWith("10.9.0."));

    ApiTenant attacker = ApiTenant.signUp(port, "cap");
    assertThat(attacker.api().get("/api/v1/diagnostics/captures/" + onVnic.id()).status())
        .isEqualTo(404);
    assertThat(download(onVnic.id(), attacker.adminEmail(), "a long passphrase 42").statusCode())
        .isEqualTo(404);
    assertThat(download(underlay.id(), t.adminEmail(), "a long passphrase 42").statusCode())
        .as("an operator's underlay capture is not the tenant's")
        .isEqualTo(404);
    var stolen =
        attacker
            .api()
            .post(
                "/api/v1/diagnostics/captures",
                Map.of("vnicId", one[1], "packets", 4, "seconds", 5, "bytes", 65536));
    assertThat(stolen.status()).isEqualTo(404);
    assertThat(stolen.body().path("field").asString()).isEqualTo("vnicId");
    assertThat(attacker.api().get("/api/v1/diagnostics/captures").body()).isEmpty();
    var hostFromTenant =
        t.api()
            .post(
                "/api/v1/diagnostics/captures",
                Map.of("hostId", host1, "packets", 4, "seconds", 5, "bytes", 65536));
    assertThat(hostFromTenant.status()).isEqualTo(404);
    assertThat(hostFromTenant.body().path("field").asString()).isEqualTo("hostId");

    for (var bad :
        List.<Map<String, Object>>of(
            Map.of("packets", "-", "field", "packets"),
            Map.of("seconds", "-", "field", "seconds"),
            Map.of("bytes", "-", "field", "bytes"),
            Map.of("packets", 1_000_000, "field", "packets"),
            Map.of("seconds", 3600, "field", "seconds"),
            Map.of("bytes", 1 << 30, "field", "bytes"),
            Map.of("protocol", "GRE", "field", "protocol"),
            Map.of("address", "10.9.0.300", "field", "address"))) {
      Map<String, Object> body =
          new HashMap<>(Map.of("vnicId", one[1], "packets", 4, "seconds", 5, "bytes", 65536));
      bad.forEach((k, v) -> {
        if (v.equals("-")) {
          body.remove(k);
        } else {
          body.put(k, v);
        }
      });
      body.remove("field");
      var refused = t.api().post("/api/v1/diagnostics/captures", body);
      assertThat(refused.status()).as(bad + ": " + refused).isEqualTo(400);
      assertThat(refused.body().path("field").asString()).isEqualTo(bad.get("field"));
    }
  }

  private List<String> tshark(Path pcap, String field) throws Exception {
    assumeThat(Files.isExecutable(Path.of("/usr/bin/tshark"))).as("tshark installed").isTrue();
    Process p =
        new ProcessBuilder("tshark", "-r", pcap.toString(), "-T", "fields", "-e", field)
            .redirectErrorStream(false)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("tshark opens the file").isZero();
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  private HttpResponse<byte[]> download(String id, String user, String password) throws Exception {
    String auth =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return HttpClient.newHttpClient()
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
  }

  private static boolean done(ApiClient api, String id) {
    String state = api.get("/api/v1/diagnostics/captures/" + id).body().path("state").asString();
    assertThat(state).as("capture " + id).isNotEqualTo("FAILED");
    return state.equals("DONE");
  }

  private static String[] staticVm(ApiTenant t, String name, String subnet, String address) {
    ApiTenant.CreatedVm vm = t.staticVm(name, subnet, address);
    return new String[] {vm.id(), vm.nicId()};
  }
}
