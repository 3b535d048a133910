package io.weft.portal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.dataplane.agent.AgentOptions;
import io.weft.dataplane.agent.AgentProcess;
import io.weft.dataplane.agent.CommandReply;
import io.weft.dataplane.table.TableJson;
import io.weft.diagnostics.AgentCommand;
import io.weft.diagnostics.AgentCommand.CommandState;
import io.weft.diagnostics.AgentCommands;
import io.weft.fabric.ConflictException;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.RegisteredHost;
import io.weft.portal.H2ApplicationTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The fabric→agent command path over real HTTP: a memory-backend agent process takes a command on
 * its long-poll within moments and its answer reaches the waiting caller; unknown kinds fail with a
 * reason; a command nobody answers expires; results that are late, repeated, malformed or from
 * another host are refused with the field named.
 */
@H2ApplicationTest
class AgentCommandsTest extends AgentApiFixture {

  @TempDir Path state;

  private AgentProcess agent(RegisteredHost h) throws Exception {
    return AgentProcess.start(
        AgentOptions.parse(
            new String[] {
              "--fabric=" + base(),
              "--token=" + h.agentToken(),
              "--host-id=" + h.host().id(),
              "--state-dir=" + state.resolve(h.host().id().toString())
            },
            Map.of()));
  }

  @Test
  void aMemoryBackendAgentRunsACommandAndItsAnswerReachesTheCaller() throws Exception {
    RegisteredHost h = host();
    try (AgentProcess agent = agent(h)) {
      agent
          .commands()
          .register(
              "ECHO",
              c -> {
                var result = TableJson.mapper().createObjectNode();
                result.put("echo", c.payload().path("say").asString());
                result.put("host", agent.agent().hostId());
                return CommandReply.succeeded(result);
              });
      long started = System.nanoTime();
      AgentCommand sent =
          commands.send(h.host().id(), "ECHO", "{\"say\":\"hello\"}", Duration.ofSeconds(20));
      assertThat(sent.state()).isEqualTo(CommandState.PENDING);
      AgentCommand done = commands.awaitResult(sent.id(), Duration.ofSeconds(20));
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertThat(done.state()).as(done.toString()).isEqualTo(CommandState.SUCCEEDED);
      JsonNode result = TableJson.mapper().readTree(done.result());
      assertThat(result.path("echo").asString()).isEqualTo("hello");
      assertThat(result.path("host").asString()).isEqualTo(h.host().id().toString());
      assertThat(done.deliveredAt()).isNotNull();
      // The agent sat in its 30 s long-poll: the command woke it rather than waiting it out.
      assertThat(millis).as("round trip in ms").isLessThan(5_000);

      AgentCommand unknown =
          commands.awaitResult(
              commands.send(h.host().id(), "NO_SUCH_KIND", "{}", Duration.ofSeconds(20)).id(),
              Duration.ofSeconds(20));
      assertThat(unknown.state()).isEqualTo(CommandState.FAILED);
      assertThat(unknown.error()).contains("does not know the command kind NO_SUCH_KIND");

      // Its answer was recorded: a second one for the same command is refused.
      HttpResponse<String> again = postResult(h, done.id().toString(), "{\"status\":\"FAILED\"}");
      assertThat(again.statusCode()).isEqualTo(409);
      assertThat(again.body()).contains("\"field\":\"id\"");
    }
  }

  /**
   * An agent killed or restarted while its command long-poll waits leaves that poll behind: the
   * fabric cannot see the connection is gone until it answers. Its successor's poll takes over, so
   * a command goes to the agent that runs it, not to the dead poll (the lab's probe to a VM behind
   * an agent process restarted moments before got no answer from that host until this).
   */
  @Test
  void aPollLeftBehindByARestartedAgentTakesNothingFromItsSuccessor() throws Exception {
    RegisteredHost h = host();
    var leftBehind = http.sendAsync(commandPoll(h, 30), HttpResponse.BodyHandlers.ofString());
    Thread.sleep(300); // the poll waits on the fabric
    try (AgentProcess agent = agent(h)) {
      agent.commands().register("ECHO", c -> CommandReply.succeeded(c.payload()));
      HttpResponse<String> ended = leftBehind.get(5, TimeUnit.SECONDS);
      assertThat(ended.statusCode()).as("the older poll ends once the agent polls").isEqualTo(409);
      assertThat(ended.body()).contains("a newer command poll of this host took over");
      for (int i = 0; i < 5; i++) {
        AgentCommand done =
            commands.awaitResult(
                commands
                    .send(h.host().id(), "ECHO", "{\"n\":" + i + "}", Duration.ofSeconds(10))
                    .id(),
                Duration.ofSeconds(10));
        assertThat(done.state()).as(done.toString()).isEqualTo(CommandState.SUCCEEDED);
      }
    }
  }

  @Test
  void aCommandNobodyAnswersExpiresAndItsLateResultIsRefused() throws Exception {
    RegisteredHost h = host(); // no agent runs for it
    AgentCommand sent = commands.send(h.host().id(), "ECHO", "{}", Duration.ofSeconds(1));
    AgentCommand after = commands.awaitResult(sent.id(), Duration.ofSeconds(10));
    assertThat(after.state()).isEqualTo(CommandState.EXPIRED);
    // The agent comes back too late: the poll no longer hands it out, the result is refused.
    assertThat(takeCommands(h).statusCode()).isEqualTo(204);
    HttpResponse<String> late =
        postResult(h, sent.id().toString(), "{\"status\":\"SUCCEEDED\",\"result\":{}}");
    assertThat(late.statusCode()).isEqualTo(409);
    assertThat(late.body()).contains("expired");
  }

  @Test
  void badResultsAreRefusedWithTheFieldNamed() throws Exception {
    RegisteredHost h = host();
    RegisteredHost other = host();
    AgentCommand sent = commands.send(h.host().id(), "ECHO", "{}", Duration.ofSeconds(30));
    HttpResponse<String> polled = takeCommands(h);
    assertThat(polled.statusCode()).isEqualTo(200);
    JsonNode taken = TableJson.mapper().readTree(polled.body()).path("commands").get(0);
    assertThat(taken.path("id").asString()).isEqualTo(sent.id().toString());
    assertThat(taken.path("kind").asString()).isEqualTo("ECHO");
    assertThat(taken.path("deadline").asString()).isEqualTo(sent.deadline().toString());
    assertThat(takeCommands(h).statusCode()).as("handed out once").isEqualTo(204);

    String id = sent.id().toString();
    HttpResponse<String> stolen = postResult(other, id, "{\"status\":\"SUCCEEDED\"}");
    assertThat(stolen.statusCode()).as("another host's command").isEqualTo(404);
    assertThat(postResult(h, UUID.randomUUID().toString(), "{\"status\":\"FAILED\"}").statusCode())
        .isEqualTo(404);
    assertThat(postResult(h, "not-a-uuid", "{\"status\":\"FAILED\"}").statusCode()).isEqualTo(404);
    assertThat(field(postResult(h, id, "{\"status\":\"DONE\"}"))).isEqualTo("status");
    assertThat(field(postResult(h, id, "{\"status\":\"SUCCEEDED\",\"result\":[1]}")))
        .isEqualTo("result");
    assertThat(field(postResult(h, id, "{\"status\":\"FAILED\",\"error\":{}}"))).isEqualTo("error");
    assertThat(postResult(h, id, "not json").statusCode()).isEqualTo(400);
    assertThat(field(send(commandPoll(h, 3600)))).isEqualTo("wait");
    assertThat(commands.find(sent.id()).orElseThrow().state()).isEqualTo(CommandState.DELIVERED);

    HttpResponse<String> failed =
        postResult(h, id, "{\"status\":\"FAILED\",\"error\":\"no such port\"}");
    assertThat(failed.statusCode()).isEqualTo(204);
    AgentCommand done = commands.find(sent.id()).orElseThrow();
    assertThat(done.state()).isEqualTo(CommandState.FAILED);
    assertThat(done.error()).isEqualTo("no such port");

    assertThatThrownBy(() -> commands.send(h.host().id(), "echo", "{}", Duration.ofSeconds(1)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("kind");
    assertThatThrownBy(() -> commands.send(h.host().id(), "ECHO", "[]", Duration.ofSeconds(1)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("payload");
    assertThatThrownBy(() -> commands.send(h.host().id(), "ECHO", "{}", Duration.ofHours(1)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("timeout");
  }

  @Test
  void aHostCannotBeFloodedWithCommands() {
    RegisteredHost h = host();
    for (int i = 0; i < AgentCommands.MAX_UNFINISHED_PER_HOST; i++) {
      commands.send(h.host().id(), "ECHO", "{}", Duration.ofSeconds(30));
    }
    assertThatThrownBy(() -> commands.send(h.host().id(), "ECHO", "{}", Duration.ofSeconds(30)))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("unfinished commands");
  }

  private HttpResponse<String> postResult(RegisteredHost h, String id, String body)
      throws Exception {
    return send(
        asAgentOf(h, "/api/v1/agent/commands/" + id + "/result")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private static String field(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    return TableJson.mapper().readTree(response.body()).path("field").asString();
  }
}
