package io.weft.dataplane.agent;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * The requests an agent sends its fabric, each carrying the host's token: long-polls (which the
 * fabric holds up to {@code wait}; they time out after {@link TableClient#pollTimeout}, which
 * outlasts a balancer's resend) and JSON posts. Format: {@code TABLE-FORMAT.md}.
 *
 * @param fabric the fabric's base address
 * @param hostToken the host's bearer token
 */
record FabricRequests(URI fabric, String hostToken) {

  /** A long-poll of {@code pathAndQuery} that the fabric may hold for up to {@code wait}. */
  HttpRequest longPoll(String pathAndQuery, Duration wait) {
    return HttpRequest.newBuilder(fabric.resolve(pathAndQuery))
        .header("Authorization", "Bearer " + hostToken)
        .header("Accept", "application/json")
        .timeout(TableClient.pollTimeout(wait))
        .GET()
        .build();
  }

  /** A post of the JSON {@code body} to {@code path}, given up after {@code timeout}. */
  HttpRequest postJson(String path, String body, Duration timeout) {
    return HttpRequest.newBuilder(fabric.resolve(path))
        .header("Authorization", "Bearer " + hostToken)
        .header("Content-Type", "application/json")
        .timeout(timeout)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }
}
