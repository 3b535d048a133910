package io.weft.diagnostics.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.diagnostics.AgentCommand;
import io.weft.diagnostics.AgentCommand.CommandState;
import io.weft.diagnostics.AgentCommands;
import io.weft.diagnostics.AgentCommands.CommandOutcome;
import io.weft.diagnostics.trace.TraceTestApplication;
import io.weft.diagnostics.trace.TraceWorld;
import io.weft.fabric.ConflictException;
import io.weft.fabric.HostId;
import io.weft.fabric.HostService;
import io.weft.fabric.wakeup.ReplicaNotifications;
import io.weft.testkit.PostgresClassDatabase;
import io.weft.testkit.PostgresTestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two replicas on one PostgreSQL database: the application context is one, a second command service
 * with its own connections and its own LISTEN is the other. A command queued on one replica wakes
 * an agent's long-poll waiting on the other at once, and a result posted to one wakes the caller
 * waiting on the other; a command is handed to exactly one of two polls.
 */
@SpringBootTest(
    classes = TraceTestApplication.class,
    properties =
        "spring.flyway.locations=classpath:db/migration/ipam,classpath:db/migration/fabric,"
            + "classpath:db/migration/diagnostics,classpath:db/migration/quartz/{vendor}")
class AgentCommandsOnPostgresTest {

  private static final Duration LONG_POLL = Duration.ofSeconds(20);
  @RegisterExtension static final PostgresClassDatabase db = new PostgresClassDatabase();

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    db.addDataSource(registry::add);
  }

  @Autowired ApplicationContext context;
  @Autowired AgentCommands replicaA;
  @Autowired HostService hosts;
  private AgentCommands replicaB;
  private ReplicaNotifications listenerB;

  @BeforeEach
  void secondReplica() {
    PostgresTestDatabase database = db.database();
    var dataSource =
        new DriverManagerDataSource(database.jdbcUrl(), database.user(), database.password());
    JdbcClient jdbc = JdbcClient.create(dataSource);
    listenerB = new ReplicaNotifications(dataSource, true);
    CommandSignals signals = new CommandSignals(listenerB);
    listenerB.start();
    replicaB =
        new JdbcAgentCommands(
            jdbc,
            new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
            signals,
            hosts,
            Clock.systemUTC(),
            1 << 20);
  }

  @AfterEach
  void stopSecondReplica() {
    listenerB.stop();
  }

  @Test
  void aCommandQueuedOnOneReplicaWakesAnAgentPollingTheOtherAndTheResultComesBack()
      throws Exception {
    HostId host = new TraceWorld(context).hosts(1, 4, 1500).hostIds.getFirst();
    Thread.sleep(500); // both LISTENs are in place
    CompletableFuture<List<AgentCommand>> poll =
        CompletableFuture.supplyAsync(() -> replicaB.awaitPending(host, LONG_POLL));
    Thread.sleep(300); // the poll is waiting
    long queued = System.nanoTime();
    AgentCommand sent = replicaA.send(host, "ECHO", "{\"n\":1}", Duration.ofSeconds(30));
    List<AgentCommand> taken = poll.get(5, TimeUnit.SECONDS);
    long wokenMs = (System.nanoTime() - queued) / 1_000_000;
    assertThat(taken).extracting(AgentCommand::id).containsExactly(sent.id());
    assertThat(wokenMs).as("ms until the other replica's poll woke").isLessThan(2_000);

    CompletableFuture<AgentCommand> waiting =
        CompletableFuture.supplyAsync(() -> replicaA.awaitResult(sent.id(), LONG_POLL));
    Thread.sleep(300);
    long posted = System.nanoTime();
    replicaB.complete(host, sent.id(), new CommandOutcome(true, "{\"ok\":true}", null));
    AgentCommand done = waiting.get(5, TimeUnit.SECONDS);
    assertThat(done.state()).isEqualTo(CommandState.SUCCEEDED);
    assertThat(done.result()).contains("\"ok\"");
    assertThat((System.nanoTime() - posted) / 1_000_000).isLessThan(2_000);
  }

  @Test
  void twoPollsOnTwoReplicasNeverBothGetACommand() throws Exception {
    HostId host = new TraceWorld(context).hosts(1, 4, 1500).hostIds.getFirst();
    for (int round = 0; round < 20; round++) {
      AgentCommand sent = replicaA.send(host, "ECHO", "{}", Duration.ofSeconds(30));
      CompletableFuture<List<AgentCommand>> a =
          CompletableFuture.supplyAsync(() -> replicaA.awaitPending(host, Duration.ZERO));
      CompletableFuture<List<AgentCommand>> b =
          CompletableFuture.supplyAsync(() -> replicaB.awaitPending(host, Duration.ZERO));
      int handedOut = handedOut(a) + handedOut(b);
      assertThat(handedOut).as("round %d", round).isEqualTo(1);
      replicaA.complete(host, sent.id(), new CommandOutcome(true, null, null));
    }
  }

  @Test
  void aPollLeftBehindOnOneReplicaTakesNothingOnceTheAgentPollsTheOther() throws Exception {
    HostId host = new TraceWorld(context).hosts(1, 4, 1500).hostIds.getFirst();
    // A poll a killed agent left waiting on replica A (the fabric cannot see it is gone)...
    CompletableFuture<List<AgentCommand>> leftBehind =
        CompletableFuture.supplyAsync(() -> replicaA.awaitPending(host, LONG_POLL));
    Thread.sleep(300);
    // ...and its restarted successor's poll on replica B.
    CompletableFuture<List<AgentCommand>> live =
        CompletableFuture.supplyAsync(() -> replicaB.awaitPending(host, LONG_POLL));
    Thread.sleep(300);
    AgentCommand sent = replicaA.send(host, "ECHO", "{}", Duration.ofSeconds(30));
    assertThat(live.get(5, TimeUnit.SECONDS))
        .extracting(AgentCommand::id)
        .containsExactly(sent.id());
    assertThatThrownBy(() -> leftBehind.get(5, TimeUnit.SECONDS))
        .as("the command woke it, and it gave way")
        .hasCauseInstanceOf(ConflictException.class)
        .hasMessageContaining("a newer command poll of this host took over");
  }

  /** The commands a poll got; none when a newer poll took over from it. */
  private static int handedOut(CompletableFuture<List<AgentCommand>> poll) throws Exception {
    try {
      return poll.get(5, TimeUnit.SECONDS).size();
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(ConflictException.class);
      return 0;
    }
  }
}
