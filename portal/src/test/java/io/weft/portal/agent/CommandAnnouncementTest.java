package io.weft.portal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.agent.CommandAnnouncement;
import io.weft.dataplane.table.TableJson;
import io.weft.dataplane.table.TableMessage;
import io.weft.diagnostics.AgentCommand;
import io.weft.diagnostics.AgentCommand.CommandState;
import io.weft.fabric.RegisteredHost;
import io.weft.portal.H2ApplicationTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Commands announced on the table long-poll (TABLE-FORMAT.md), over real HTTP: a table poll of an
 * agent that asks ends with {@code Weft-Commands: pending} when its host has commands queued,
 * whether they were queued before the poll or while it waited, and then says {@code announced} once
 * they are taken; a poll that does not ask is answered as before.
 */
@H2ApplicationTest
class CommandAnnouncementTest extends AgentApiFixture {

  @Test
  void aCommandQueuedBetweenTwoPollsIsAnnouncedByTheNextOne() throws Exception {
    RegisteredHost h = host();
    long generation = currentGeneration(h);
    AgentCommand sent = commands.send(h.host().id(), "ECHO", "{}", Duration.ofSeconds(60));

    // wait=30: only the announcement ends this poll before the test's bound.
    HttpResponse<String> announced = tablePoll(h, generation, 30, true).get(20, TimeUnit.SECONDS);
    assertThat(announced.statusCode()).as("no table change").isEqualTo(204);
    assertThat(announced.headers().firstValue(CommandAnnouncement.HEADER))
        .hasValue(CommandAnnouncement.PENDING);

    HttpResponse<String> taken = takeCommands(h);
    assertThat(taken.statusCode()).isEqualTo(200);
    assertThat(taken.body()).contains(sent.id().toString());
    assertThat(taken.headers().firstValue(CommandAnnouncement.HEADER))
        .hasValue(CommandAnnouncement.ANNOUNCED);
    assertThat(commands.find(sent.id()).orElseThrow().state()).isEqualTo(CommandState.DELIVERED);

    HttpResponse<String> quiet = tablePoll(h, generation, 1, true).get(20, TimeUnit.SECONDS);
    assertThat(quiet.statusCode()).isEqualTo(204);
    assertThat(quiet.headers().firstValue(CommandAnnouncement.HEADER))
        .as("taken: nothing pending, but this fabric announces")
        .hasValue(CommandAnnouncement.ANNOUNCED);
  }

  @Test
  void aCommandQueuedWhileThePollWaitsEndsIt() throws Exception {
    RegisteredHost h = host();
    long generation = currentGeneration(h);
    CompletableFuture<HttpResponse<String>> poll = tablePoll(h, generation, 30, true);
    Thread.sleep(500); // the poll waits on the fabric
    commands.send(h.host().id(), "ECHO", "{}", Duration.ofSeconds(60));
    HttpResponse<String> ended = poll.get(20, TimeUnit.SECONDS);
    assertThat(ended.statusCode()).isEqualTo(204);
    assertThat(ended.headers().firstValue(CommandAnnouncement.HEADER))
        .hasValue(CommandAnnouncement.PENDING);
  }

  @Test
  void aTableChangeIsAnsweredAsBeforeAndSaysTheFabricAnnounces() throws Exception {
    RegisteredHost h = host();
    HttpResponse<String> snapshot = tablePoll(h, 0, 0, true).get(20, TimeUnit.SECONDS);
    assertThat(snapshot.statusCode()).isEqualTo(200);
    assertThat(TableJson.read(snapshot.body())).isInstanceOf(TableMessage.Snapshot.class);
    assertThat(snapshot.headers().firstValue(CommandAnnouncement.HEADER))
        .hasValue(CommandAnnouncement.ANNOUNCED);
  }

  @Test
  void aPollThatDoesNotAskIsNotEndedByCommandsAndCarriesNoAnnouncement() throws Exception {
    RegisteredHost h = host();
    long generation = currentGeneration(h);
    AgentCommand sent = commands.send(h.host().id(), "ECHO", "{}", Duration.ofSeconds(60));
    HttpResponse<String> quiet = tablePoll(h, generation, 1, false).get(20, TimeUnit.SECONDS);
    assertThat(quiet.statusCode()).isEqualTo(204);
    assertThat(quiet.headers().firstValue(CommandAnnouncement.HEADER)).isEmpty();
    assertThat(commands.find(sent.id()).orElseThrow().state()).isEqualTo(CommandState.PENDING);
  }

  private long currentGeneration(RegisteredHost h) throws Exception {
    HttpResponse<String> snapshot = tablePoll(h, 0, 0, false).get(20, TimeUnit.SECONDS);
    assertThat(snapshot.statusCode()).isEqualTo(200);
    return ((TableMessage.Snapshot) TableJson.read(snapshot.body())).table().generation();
  }

  private CompletableFuture<HttpResponse<String>> tablePoll(
      RegisteredHost h, long since, int wait, boolean ask) {
    HttpRequest.Builder request =
        asAgentOf(h, "/api/v1/agent/table?since=" + since + "&wait=" + wait).GET();
    if (ask) {
      request.header(CommandAnnouncement.HEADER, CommandAnnouncement.ASK);
    }
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
