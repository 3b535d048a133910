package io.weft.fabric.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.Caller;
import io.weft.fabric.FabricTestApplication;
import io.weft.fabric.HostService;
import io.weft.fabric.NewHost;
import io.weft.fabric.NewLogicalNetwork;
import io.weft.fabric.RegisteredHost;
import io.weft.fabric.identity.AccountId;
import io.weft.fabric.identity.Role;
import io.weft.fabric.wakeup.ReplicaNotifications;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Agent tokens answered from memory (a subclass per database): a token seen valid costs no database
 * statement again, a wrong one is checked every time, and a rotated or deleted host's token stops
 * working on this replica as soon as the change returns.
 *
 * <p>"Another replica" is a second {@link AgentTokens} with a {@link ReplicaNotifications} and
 * connections of its own on the same database, as a second application would have; its statements
 * are counted.
 */
@SpringBootTest(
    classes = FabricTestApplication.class,
    properties = "weft.test.database=agent-tokens") // a context, and so a database, of its own
abstract class AgentTokensContract {

  static final Caller OPERATOR =
      new Caller(new AccountId(UUID.randomUUID()), "op", Role.OPERATOR, Optional.empty());

  @Autowired HostService hosts;
  @Autowired JdbcClient jdbc;
  @Autowired DataSource dataSource;

  private final List<ReplicaNotifications> started = new ArrayList<>();

  /** Connections for another replica; on PostgreSQL named so a test can find them. */
  abstract DataSource anotherReplicasDataSource();

  /** A second replica's token lookup, listening (on PostgreSQL) before it is returned. */
  record Replica(AgentTokens tokens, StatementCounter counter, Listening listening) {
    Optional<io.weft.fabric.HostId> authenticate(String token) {
      return tokens.authenticate(token);
    }
  }

  Replica anotherReplica() throws InterruptedException {
    DataSource connections = anotherReplicasDataSource();
    ReplicaNotifications notifications = new ReplicaNotifications(connections);
    StatementCounter counter = new StatementCounter(connections);
    AgentTokens tokens =
        new AgentTokens(
            JdbcClient.create(counter.dataSource()), notifications, 50_000, Duration.ofHours(1));
    Listening listening = new Listening();
    notifications.subscribe(Listening.CHANNEL, listening);
    notifications.start();
    started.add(notifications);
    if (notifications.acrossReplicas()) {
      listening.awaitListening();
      listening.awaitBarrier(jdbc); // every channel subscribed before start is listened to now
    }
    return new Replica(tokens, counter, listening);
  }

  @AfterEach
  void stopReplicas() {
    started.forEach(ReplicaNotifications::stop);
    started.clear();
  }

  RegisteredHost newHost() {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    var ln =
        hosts.createLogicalNetwork(
            OPERATOR, new NewLogicalNetwork("ln-" + tag, "10.250.0.0/16", null, null));
    return hosts.registerHost(OPERATOR, new NewHost("h-" + tag, ln.id().toString(), null, 4));
  }

  @Test
  void aKnownTokenIsAnsweredWithoutTheDatabaseAndAWrongOneIsCheckedEveryTime() throws Exception {
    RegisteredHost h = newHost();
    Replica replica = anotherReplica();

    assertThat(replica.authenticate(h.agentToken())).contains(h.host().id());
    int afterFirst = replica.counter().statements();
    assertThat(afterFirst).as("statements of the first lookup").isEqualTo(1);
    for (int i = 0; i < 100; i++) {
      assertThat(replica.authenticate(h.agentToken())).contains(h.host().id());
    }
    assertThat(replica.counter().statements()).as("statements of 100 more").isEqualTo(afterFirst);

    String wrong = SecretTokens.generate(JdbcHostService.AGENT_TOKEN_PREFIX);
    assertThat(replica.authenticate(wrong)).isEmpty();
    assertThat(replica.authenticate(wrong)).isEmpty();
    assertThat(replica.counter().statements())
        .as("a wrong token is read every time, never remembered")
        .isEqualTo(afterFirst + 2);
    assertThat(replica.authenticate("weft-agent-forged")).isEmpty();
    assertThat(replica.authenticate(h.agentToken() + "x")).isEmpty();
    assertThat(replica.authenticate(null)).isEmpty();
    assertThat(replica.counter().statements())
        .as("a malformed token is refused without reading")
        .isEqualTo(afterFirst + 2);
  }

  @Test
  void aRotatedOrDeletedHostsTokenStopsWorkingOnThisReplicaAtOnce() {
    RegisteredHost h = newHost();
    assertThat(hosts.authenticateAgent(h.agentToken())).contains(h.host().id());
    assertThat(hosts.authenticateAgent(h.agentToken())).contains(h.host().id());

    RegisteredHost rotated = hosts.rotateAgentToken(OPERATOR, h.host().id());
    assertThat(hosts.authenticateAgent(h.agentToken())).as("the old token").isEmpty();
    assertThat(hosts.authenticateAgent(rotated.agentToken())).contains(h.host().id());
    assertThat(hosts.authenticateAgent(rotated.agentToken())).contains(h.host().id());

    hosts.deleteHost(OPERATOR, h.host().id());
    assertThat(hosts.authenticateAgent(rotated.agentToken())).as("a deleted host's").isEmpty();
  }

  /**
   * A channel of the test's own on another replica: told when its listener (re)connected, and a
   * barrier: notifications reach a replica in commit order and one at a time, so once the barrier
   * sent after a change has arrived, that change's notifications have been handled.
   */
  static final class Listening implements ReplicaNotifications.Subscriber {
    static final String CHANNEL = "weft_test_barrier";
    private final BlockingQueue<String> barriers = new LinkedBlockingQueue<>();
    private final BlockingQueue<Boolean> listening = new LinkedBlockingQueue<>();

    @Override
    public void notified(String payload) {
      barriers.add(payload);
    }

    @Override
    public void mayHaveMissedNotifications() {
      listening.add(true);
    }

    void awaitListening() throws InterruptedException {
      assertThat(listening.poll(30, TimeUnit.SECONDS)).as("LISTEN in place").isTrue();
    }

    void awaitBarrier(JdbcClient jdbc) throws InterruptedException {
      String id = UUID.randomUUID().toString();
      jdbc.sql("SELECT pg_notify(:channel, :id)")
          .param("channel", CHANNEL)
          .param("id", id)
          .query()
          .listOfRows();
      String arrived;
      do {
        arrived = barriers.poll(30, TimeUnit.SECONDS);
        assertThat(arrived).as("the barrier notification arrived").isNotNull();
      } while (!arrived.equals(id));
    }
  }
}
