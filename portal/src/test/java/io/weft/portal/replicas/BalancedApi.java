package io.weft.portal.replicas;

import io.weft.dataplane.agent.RetrySchedule;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A REST client as a script would write one: HTTP Basic over the balancer's TLS, no cookies, and a
 * retry with the agents' kind of back-off ({@link RetrySchedule}: exponential, capped, full jitter)
 * when the balancer answers 502/503 (a replica just died and HAProxy has not marked it down yet, or
 * a change lost to concurrent ones even after the fabric ran it again: 503, nothing written).
 */
final class BalancedApi {

  static final JsonMapper JSON = JsonMapper.builder().build();

  private static final int ATTEMPTS = 8;
  private static final RetrySchedule RETRIES =
      new RetrySchedule(Duration.ofMillis(250), Duration.ofSeconds(4));

  private final HttpClient http;
  private final URI base;
  private final String authorization;

  private BalancedApi(HttpClient http, URI base, String authorization) {
    this.http = http;
    this.base = base;
    this.authorization = authorization;
  }

  static BalancedApi basic(HttpClient http, URI base, String user, String password) {
    return new BalancedApi(
        http,
        base,
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }

  BalancedApi as(String user, String password) {
    return basic(http, base, user, password);
  }

  /** The same caller talking to another address (a replica directly, bypassing the balancer). */
  BalancedApi at(URI otherBase) {
    return new BalancedApi(http, otherBase, authorization);
  }

  JsonNode get(String path) {
    return json(send("GET", path, null), path);
  }

  /** A plain-text resource such as {@code /actuator/prometheus}. */
  String text(String path) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(base.resolve(path))
                  .header("Authorization", authorization)
                  .header("Accept", "text/plain")
                  .build(),
              bodyHandler());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(path + " answered " + response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      throw new IllegalStateException(path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  JsonNode post(String path, Object body) {
    return json(send("POST", path, body), path);
  }

  JsonNode put(String path, Object body) {
    return json(send("PUT", path, body), path);
  }

  /** One request, retried (up to 8 times, with jittered back-off) only on 502/503 and resets. */
  HttpResponse<String> send(String method, String path, Object body) {
    IOException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        HttpResponse<String> response = http.send(request(method, path, body), bodyHandler());
        if (response.statusCode() != 502 && response.statusCode() != 503) {
          return response;
        }
      } catch (IOException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(RETRIES.delay(attempt, ThreadLocalRandom.current()));
    }
    throw new IllegalStateException(
        method + " " + path + " failed after " + ATTEMPTS + " attempts", last);
  }

  HttpRequest request(String method, String path, Object body) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(70))
            .header("Authorization", authorization)
            .header("Accept", "application/json");
    if (body == null) {
      builder.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      builder
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    }
    return builder.build();
  }

  static HttpResponse.BodyHandler<String> bodyHandler() {
    return HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8);
  }

  static JsonNode json(HttpResponse<String> response, String what) {
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          what + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
