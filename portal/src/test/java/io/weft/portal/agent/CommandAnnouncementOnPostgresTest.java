package io.weft.portal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.agent.AgentOptions;
import io.weft.dataplane.agent.AgentProcess;
import io.weft.dataplane.agent.CommandAnnouncement;
import io.weft.dataplane.agent.CommandReply;
import io.weft.dataplane.table.TableJson;
import io.weft.dataplane.table.TableMessage;
import io.weft.diagnostics.AgentCommand;
import io.weft.diagnostics.AgentCommand.CommandState;
import io.weft.diagnostics.AgentCommands;
import io.weft.fabric.Caller;
import io.weft.fabric.HostService;
import io.weft.fabric.NewHost;
import io.weft.fabric.NewLogicalNetwork;
import io.weft.fabric.RegisteredHost;
import io.weft.fabric.identity.AccountId;
import io.weft.fabric.identity.Role;
import io.weft.portal.ReplicaInThisJvm;
import io.weft.testkit.PostgresTestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two replicas (two application contexts, each with its own HTTP port, connections and LISTEN) on
 * one PostgreSQL database: a command queued on replica A is announced ({@code Weft-Commands:
 * pending}) by the next table poll on replica B, although B knew the host idle, and ends the poll B
 * holds, through PostgreSQL's NOTIFY; an agent process polling B runs commands queued on A.
 */
class CommandAnnouncementOnPostgresTest {

  static final Caller OPERATOR =
      new Caller(new AccountId(UUID.randomUUID()), "op", Role.OPERATOR, Optional.empty());

  private static PostgresTestDatabase database;
  private static ConfigurableApplicationContext replicaA;
  private static ConfigurableApplicationContext replicaB;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void twoReplicas() {
    database = PostgresTestDatabase.createOrSkip("CommandAnnouncementOnPostgresTest");
    replicaA = ReplicaInThisJvm.start(database);
    replicaB = ReplicaInThisJvm.start(database);
  }

  @AfterAll
  static void stop() {
    if (replicaB != null) {
      replicaB.close();
    }
    if (replicaA != null) {
      replicaA.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  void aCommandQueuedOnOneReplicaIsAnnouncedByTheTablePollOnTheOther() throws Exception {
    HostService hosts = replicaA.getBean(HostService.class);
    String ln =
        hosts
            .createLogicalNetwork(
                OPERATOR, new NewLogicalNetwork("ann-pg-ln", "10.77.0.0/16", "NVGRE", null))
            .id()
            .toString();
    RegisteredHost h = hosts.registerHost(OPERATOR, new NewHost("ann-pg-h", ln, null, 4));
    HttpResponse<String> snapshot = tablePoll(replicaB, h, 0, 0).get(30, TimeUnit.SECONDS);
    assertThat(snapshot.statusCode()).isEqualTo(200);
    long generation =
        ((TableMessage.Snapshot) TableJson.read(snapshot.body())).table().generation();

    // A quiet poll on B: B now knows the host idle and asks the database no more (IdleHosts)...
    HttpResponse<String> quiet = tablePoll(replicaB, h, generation, 1).get(30, TimeUnit.SECONDS);
    assertThat(quiet.headers().firstValue(CommandAnnouncement.HEADER))
        .hasValue(CommandAnnouncement.ANNOUNCED);
    // ...until a command queued on A between two polls: B's next poll announces it.
    AgentCommands onA = replicaA.getBean(AgentCommands.class);
    onA.send(h.host().id(), "ECHO", "{}", Duration.ofSeconds(60));
    HttpResponse<String> next = tablePoll(replicaB, h, generation, 30).get(20, TimeUnit.SECONDS);
    assertThat(next.headers().firstValue(CommandAnnouncement.HEADER))
        .hasValue(CommandAnnouncement.PENDING);
    assertThat(take(replicaB, h).statusCode()).isEqualTo(200);

    CompletableFuture<HttpResponse<String>> onB = tablePoll(replicaB, h, generation, 30);
    Thread.sleep(1000); // the poll waits on replica B
    onA.send(h.host().id(), "ECHO", "{}", Duration.ofSeconds(60));
    // wait=30: only the announcement, woken across replicas, ends the poll within the bound.
    HttpResponse<String> ended = onB.get(20, TimeUnit.SECONDS);
    assertThat(ended.statusCode()).isEqualTo(204);
    assertThat(ended.headers().firstValue(CommandAnnouncement.HEADER))
        .hasValue(CommandAnnouncement.PENDING);
  }

  /**
   * End to end: an agent process whose polls go to replica B runs a command queued on replica A (it
   * holds no command long-poll there: the announcement on its table poll brings it).
   */
  @Test
  void anAgentPollingOneReplicaRunsACommandQueuedOnTheOther(@TempDir Path state) throws Exception {
    HostService hosts = replicaA.getBean(HostService.class);
    String ln =
        hosts
            .createLogicalNetwork(
                OPERATOR, new NewLogicalNetwork("ann-pg-ln2", "10.76.0.0/16", "NVGRE", null))
            .id()
            .toString();
    RegisteredHost h = hosts.registerHost(OPERATOR, new NewHost("ann-pg-h2", ln, null, 4));
    String portB = replicaB.getEnvironment().getProperty("local.server.port");
    AgentCommands onA = replicaA.getBean(AgentCommands.class);
    try (AgentProcess agent =
        AgentProcess.start(
            AgentOptions.parse(
                new String[] {
                  "--fabric=http://127.0.0.1:" + portB,
                  "--token=" + h.agentToken(),
                  "--host-id=" + h.host().id(),
                  "--state-dir=" + state
                },
                Map.of()))) {
      agent.commands().register("ECHO", c -> CommandReply.succeeded(c.payload()));
      for (int i = 0; i < 3; i++) {
        AgentCommand done =
            onA.awaitResult(
                onA.send(h.host().id(), "ECHO", "{\"n\":" + i + "}", Duration.ofSeconds(20)).id(),
                Duration.ofSeconds(20));
        assertThat(done.state()).as(done.toString()).isEqualTo(CommandState.SUCCEEDED);
        assertThat(done.result()).contains("\"n\":" + i);
      }
    }
  }

  private HttpResponse<String> take(ConfigurableApplicationContext replica, RegisteredHost h)
      throws Exception {
    String port = replica.getEnvironment().getProperty("local.server.port");
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/v1/agent/commands?wait=0"))
            .header("Authorization", "Bearer " + h.agentToken())
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private CompletableFuture<HttpResponse<String>> tablePoll(
      ConfigurableApplicationContext replica, RegisteredHost h, long since, int wait) {
    String port = replica.getEnvironment().getProperty("local.server.port");
    return http.sendAsync(
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + port
                        + "/api/v1/agent/table?since="
                        + since
                        + "&wait="
                        + wait))
            .header("Authorization", "Bearer " + h.agentToken())
            .header(CommandAnnouncement.HEADER, CommandAnnouncement.ASK)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
