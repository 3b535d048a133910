package io.weft.fabric.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.RegisteredHost;
import io.weft.testkit.PostgresClassDatabase;
import io.weft.testkit.PostgresTestDatabase;
import java.util.Properties;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link AgentTokensContract} on PostgreSQL, plus what only replicas have: another replica forgets
 * a token rotated or deleted through this one when it hears of the commit, and forgets every token
 * when its listener lost its connection (revocations may have been missed meanwhile).
 */
class AgentTokensOnPostgresTest extends AgentTokensContract {

  private static final String REPLICA_B = "weft-test-replica-b";
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
}
