package io.weft.portal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The lab's REST client: JSON over HTTP Basic as one user (a tenant's administrator or the
 * operator), starting a probe and waiting for its answer, downloading a capture and reading it with
 * tshark.
 */
final class LabApi {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  record Answer(int status, JsonNode body) {}

  private final String base;
  private final String authorization;

  LabApi(int port, String user, String password) {
    this.base = "http://127.0.0.1:" + port;
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  Answer get(String path) throws Exception {
    return send("GET", path, null);
  }

  Answer post(String path, Object body) throws Exception {
    return send("POST", path, JSON.writeValueAsString(body));
  }

  private Answer send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", authorization);
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), JSON.readTree(r.body().isEmpty() ? "{}" : r.body()));
  }

  /** Starts a probe (202) and waits up to 10 s for its answer. */
  JsonNode probe(Object request) throws Exception {
    Answer started = post("/api/v1/diagnostics/probes", request);
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    Answer done =
        get("/api/v1/diagnostics/probes/" + started.body().path("id").asString() + "?wait=10");
    assertThat(done.status()).as(done.body().toString()).isEqualTo(200);
    return done.body();
  }

  /** The capture's pcap file, written to {@code file}. */
  Path download(String captureId, Path file) throws Exception {
    HttpResponse<byte[]> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(base + "/api/v1/diagnostics/captures/" + captureId + "/pcap"))
                .header("Authorization", authorization)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    return Files.write(file, r.body());
  }

  /** One line per packet: the fields tshark decodes from {@code pcap}, tab-separated. */
  static List<String> tshark(Path pcap, String... fields) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("tshark", "-r", pcap.toString()));
    cmd.addAll(List.of("-T", "fields"));
    for (String f : fields) {
      cmd.addAll(List.of("-e", f));
    }
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("tshark opens " + pcap).isZero();
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  static void printPercentiles(String what, double[] values) {
    double[] v = java.util.Arrays.stream(values).filter(d -> !Double.isNaN(d)).sorted().toArray();
    if (v.length == 0) {
      System.out.println(what + ": no values");
      return;
    }
    java.util.function.IntFunction<Double> pct =
        p -> v[Math.clamp((int) Math.ceil(p / 100.0 * v.length) - 1, 0, v.length - 1)];
    System.out.printf(
        java.util.Locale.ROOT,
        "%-26s n=%d  p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms%n",
        what,
        v.length,
        pct.apply(50),
        pct.apply(90),
        pct.apply(99),
        v[v.length - 1]);
  }
}
