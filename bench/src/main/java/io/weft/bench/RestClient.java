package io.weft.bench;

import io.weft.dataplane.table.TableJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import tools.jackson.databind.JsonNode;

/** The portal's REST API as a harness calls it: JSON in and out, HTTP Basic. */
public final class RestClient {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;

  public RestClient(URI base) {
    this.base = base;
  }

  public URI base() {
    return base;
  }

  /** The answer's JSON; IOException naming the call when it is not 2xx. */
  public JsonNode send(String method, String path, String auth, String body)
      throws IOException, InterruptedException {
    HttpResponse<String> r = exchange(method, path, auth, body);
    if (r.statusCode() / 100 != 2) {
      throw new IOException(method + " " + path + " answered " + r.statusCode() + " " + r.body());
    }
    return TableJson.mapper().readTree(r.body().isEmpty() ? "{}" : r.body());
  }

  /** True when the call answers 2xx; false when it fails or cannot connect. */
  public boolean ok(String method, String path, String auth) {
    try {
      return exchange(method, path, auth, null).statusCode() / 100 == 2;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private HttpResponse<String> exchange(String method, String path, String auth, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @FunctionalInterface
  public interface Check {
    boolean holds() throws Exception;
  }

  /** Polls {@code check} every 200 ms until it holds; throws after {@code max}. */
  public static void await(String what, Duration max, Check check) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(200);
    }
  }
}
