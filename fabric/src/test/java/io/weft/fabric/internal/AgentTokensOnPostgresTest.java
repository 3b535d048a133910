package io.weft.fabric.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.RegisteredHost;
import io.weft.testkit.PostgresClassDatabase;
import io.weft.testkit.PostgresTestDatabase;
import java.io.IOException;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link AgentTokensContract} on PostgreSQL, plus what only replicas have: another replica forgets
 * a token rotated or deleted through this one when it hears of the commit, and forgets every token
 * when its listener lost its connection (revocations may have been missed meanwhile), or stops
 * answering from memory when its listener hangs without an error.
 */
class AgentTokensOnPostgresTest extends AgentTokensContract {

  private static final String REPLICA_B = "weft-test-replica-b";

  /**
   * The documented bound (operations.md, "Agent tokens"): a revocation reaches every replica's
   * cache within the listener's check interval + check timeout (2 s + 5 s by default), or that
   * replica answers nothing from memory.
   */
  private static final Duration HUNG_LISTENER_WINDOW = Duration.ofSeconds(7);

  @RegisterExtension static final PostgresClassDatabase db = new PostgresClassDatabase();

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    db.addDataSource(registry::add);
  }

  @Override
  DataSource anotherReplicasDataSource() {
    PostgresTestDatabase database = db.database();
    DriverManagerDataSource connections =
        new DriverManagerDataSource(database.jdbcUrl(), database.user(), database.password());
    Properties named = new Properties();
    named.setProperty("ApplicationName", REPLICA_B);
    connections.setConnectionProperties(named);
    return connections;
  }

  @Test
  void aRotatedOrDeletedHostsTokenStopsWorkingOnAnotherReplica() throws Exception {
    RegisteredHost h = newHost();
    Replica other = anotherReplica();
    assertThat(other.authenticate(h.agentToken())).contains(h.host().id());
    assertThat(hosts.authenticateAgent(h.agentToken())).contains(h.host().id());

    RegisteredHost rotated = hosts.rotateAgentToken(OPERATOR, h.host().id());
    other.listening().awaitBarrier(jdbc);
    assertThat(other.authenticate(h.agentToken())).as("the old token elsewhere").isEmpty();
    assertThat(other.authenticate(rotated.agentToken())).contains(h.host().id());
    int remembered = other.counter().statements();
    assertThat(other.authenticate(rotated.agentToken())).contains(h.host().id());
    assertThat(other.counter().statements()).isEqualTo(remembered);

    hosts.deleteHost(OPERATOR, h.host().id());
    other.listening().awaitBarrier(jdbc);
    assertThat(other.authenticate(rotated.agentToken())).as("a deleted host's elsewhere").isEmpty();
  }

  @Test
  void aReplicaWhoseListenerReconnectedForgetsEveryToken() throws Exception {
    RegisteredHost h = newHost();
    Replica other = anotherReplica();
    assertThat(other.authenticate(h.agentToken())).contains(h.host().id());
    // A revocation whose notification this replica misses: the digest changes without a NOTIFY.
    jdbc.sql("UPDATE fabric_host SET token_hash = :hash WHERE id = :id")
        .param("hash", SecretTokens.digest(SecretTokens.generate("lost-")))
        .param("id", h.host().id().value())
        .update();
    assertThat(other.authenticate(h.agentToken())).as("remembered, not reread").isPresent();

    int killed =
        jdbc.sql(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE application_name = :name AND pid <> pg_backend_pid()")
            .param("name", REPLICA_B)
            .query(Integer.class)
            .single();
    assertThat(killed).as("the other replica's listening connection").isEqualTo(1);
    other.listening().awaitListening(); // reconnected: LISTEN again
    other.listening().awaitBarrier(jdbc);
    assertThat(other.authenticate(h.agentToken())).as("forgotten on reconnecting").isEmpty();
  }

  @Test
  void aReplicaWhoseListenerHangsSilentlyRefusesARotatedTokenWithinTheWindow() throws Exception {
    RegisteredHost h = newHost();
    Replica other = anotherReplica();
    assertThat(other.authenticate(h.agentToken())).contains(h.host().id());
    assertThat(other.authenticate(h.agentToken())).as("remembered").contains(h.host().id());

    RegisteredHost rotated;
    Duration refusedAfter;
    // The listener's backend stops answering but its socket stays open: no error reaches the
    // replica, and the rotation's NOTIFY is never delivered to it.
    try (StoppedBackend hung = StoppedBackend.stop(listenerPid())) {
      rotated = hosts.rotateAgentToken(OPERATOR, h.host().id());
      long rotatedAt = System.nanoTime();
      Duration giveUp = HUNG_LISTENER_WINDOW.multipliedBy(2);
      while (other.authenticate(h.agentToken()).isPresent()) {
        assertThat(Duration.ofNanos(System.nanoTime() - rotatedAt))
            .as("the rotated token is still answered from memory on the hung replica")
            .isLessThan(giveUp);
        Thread.sleep(20);
      }
      refusedAfter = Duration.ofNanos(System.nanoTime() - rotatedAt);
    }
    System.out.println("hung listener: the rotated token was refused after " + refusedAfter);
    // The window counts from the commit, before rotateAgentToken returned; the slack is this
    // loop's own pace on a busy machine.
    assertThat(refusedAfter).isLessThanOrEqualTo(HUNG_LISTENER_WINDOW.plusMillis(500));

    other.listening().awaitListening(); // the hang was noticed: listening on a new connection
    other.listening().awaitBarrier(jdbc); // and its first check answered
    assertThat(other.authenticate(rotated.agentToken())).contains(h.host().id());
    int remembered = other.counter().statements();
    assertThat(other.authenticate(rotated.agentToken())).contains(h.host().id());
    assertThat(other.counter().statements()).as("answered from memory again").isEqualTo(remembered);
  }

  /** The other replica's listening connection: the oldest it has open. */
  private long listenerPid() {
    return jdbc.sql(
            "SELECT pid FROM pg_stat_activity WHERE application_name = :name"
                + " AND pid <> pg_backend_pid() ORDER BY backend_start LIMIT 1")
        .param("name", REPLICA_B)
        .query(Long.class)
        .single();
  }

  /**
   * A PostgreSQL backend suspended with SIGSTOP (the tests run as root beside the local server);
   * SIGCONT on close, and by a detached safety net a minute later should this JVM die first (a
   * stopped backend would hold up, e.g., every DROP DATABASE on the server).
   */
  private record StoppedBackend(long pid, Process safetyNet) implements AutoCloseable {

    static StoppedBackend stop(long pid) throws IOException, InterruptedException {
      boolean local =
          ProcessHandle.of(pid)
              .flatMap(p -> p.info().command())
              .filter(command -> command.contains("postgres"))
              .isPresent();
      Assumptions.assumeTrue(local, "PostgreSQL's backends are not processes of this machine");
      Process safetyNet = new ProcessBuilder("sh", "-c", "sleep 60; kill -CONT " + pid).start();
      signal("-STOP", pid);
      return new StoppedBackend(pid, safetyNet);
    }

    @Override
    public void close() throws IOException, InterruptedException {
      signal("-CONT", pid);
      safetyNet.destroy();
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
      int exit =
          new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start().waitFor();
      assertThat(exit).as("kill " + signal + " " + pid).isZero();
    }
  }
}
