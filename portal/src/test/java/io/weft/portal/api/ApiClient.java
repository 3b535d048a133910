package io.weft.portal.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A script's view of the API: JSON over HTTP with one set of credentials. */
final class ApiClient {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  static final JsonMapper JSON = JsonMapper.builder().build();

  private final String base;
  private final String authorization;

  private ApiClient(String base, String authorization) {
    this.base = base;
    this.authorization = authorization;
  }

  static ApiClient anonymous(int port) {
    return new ApiClient("http://localhost:" + port, null);
  }

  static ApiClient basic(int port, String user, String password) {
    String token =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return new ApiClient("http://localhost:" + port, "Basic " + token);
  }

  static ApiClient bearer(int port, String token) {
    return new ApiClient("http://localhost:" + port, "Bearer " + token);
  }

  /** A response: status, parsed JSON body (empty object when there is no body) and headers. */
  record Response(int status, JsonNode body, String contentType, HttpHeaders headers) {
    /** The header's first value, or null. */
    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    String text(String field) {
      JsonNode node = body.path(field);
      return node.isMissingNode() || node.isNull() ? null : node.asString();
    }

    String id() {
      return text("id");
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  Response get(String path) {
    return send("GET", path, null, null);
  }

  Response post(String path, Object body) {
    return send("POST", path, body, null);
  }

  Response postIdempotent(String path, Object body, String key) {
    return send("POST", path, body, key);
  }

  Response put(String path, Object body) {
    return send("PUT", path, body, null);
  }

  Response delete(String path) {
    return send("DELETE", path, null, null);
  }

  /** Sends a raw body, e.g. malformed JSON. */
  Response postRaw(String path, String raw) {
    return exchange(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(raw)));
  }

  private Response send(String method, String path, Object body, String idempotencyKey) {
    String json = body == null ? "" : body instanceof String s ? s : JSON.writeValueAsString(body);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return exchange(request);
  }

  private Response exchange(HttpRequest.Builder request) {
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      String text = response.body();
      JsonNode node =
          text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
      return new Response(
          response.statusCode(),
          node,
          response.headers().firstValue("Content-Type").orElse(""),
          response.headers());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
