package io.weft.portal.agent;

import io.weft.diagnostics.AgentCommands;
import io.weft.fabric.Caller;
import io.weft.fabric.HostService;
import io.weft.fabric.HostState;
import io.weft.fabric.NewHost;
import io.weft.fabric.NewLogicalNetwork;
import io.weft.fabric.RegisteredHost;
import io.weft.fabric.identity.AccountId;
import io.weft.fabric.identity.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The application on its random port as agents see it, for tests of the agent API: hosts registered
 * by the operator, and requests sent with a host's agent token. The application context is shared
 * with other tests, so the hosts registered here are taken down after each test.
 */
abstract class AgentApiFixture {

  static final Caller OPERATOR =
      new Caller(new AccountId(UUID.randomUUID()), "op", Role.OPERATOR, Optional.empty());

  @LocalServerPort private int port;
  @Autowired HostService hosts;
  @Autowired AgentCommands commands;
  final HttpClient http = HttpClient.newHttpClient();
  private final List<RegisteredHost> registered = new ArrayList<>();

  @AfterEach
  void takeRegisteredHostsDown() {
    registered.forEach(h -> hosts.setHostState(OPERATOR, h.host().id(), HostState.DOWN));
  }

  /** A new host, alone on a new logical network, that no agent serves yet. */
  RegisteredHost host() {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    String ln =
        hosts
            .createLogicalNetwork(
                OPERATOR, new NewLogicalNetwork("agent-ln-" + tag, "10.79.0.0/16", "NVGRE", null))
            .id()
            .toString();
    RegisteredHost h = hosts.registerHost(OPERATOR, new NewHost("agent-h-" + tag, ln, null, 4));
    registered.add(h);
    return h;
  }

  /** A request to {@code path} (query included) with the agent token of {@code h}. */
  HttpRequest.Builder asAgentOf(RegisteredHost h, String path) {
    return HttpRequest.newBuilder(URI.create(base() + path))
        .header("Authorization", "Bearer " + h.agentToken());
  }

  /** The command long-poll of {@code h}'s agent, waiting up to {@code wait} seconds. */
  HttpRequest commandPoll(RegisteredHost h, int wait) {
    return asAgentOf(h, "/api/v1/agent/commands?wait=" + wait).GET().build();
  }

  /** Takes the commands of {@code h} queued now, without waiting. */
  HttpResponse<String> takeCommands(RegisteredHost h) throws Exception {
    return send(commandPoll(h, 0));
  }

  HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  String base() {
    return "http://127.0.0.1:" + port;
  }
}
