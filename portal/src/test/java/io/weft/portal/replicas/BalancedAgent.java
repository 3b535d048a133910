package io.weft.portal.replicas;

import io.weft.dataplane.agent.Forwarder;
import io.weft.dataplane.agent.HostAgent;
import io.weft.dataplane.agent.LeaseBook;
import io.weft.dataplane.agent.RetrySchedule;
import io.weft.dataplane.agent.TableClient;
import io.weft.dataplane.pipeline.CounterSnapshot;
import io.weft.dataplane.pipeline.LeaseAuthority;
import io.weft.dataplane.table.Encapsulation;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.TableJson;
import io.weft.testkit.TwoReplicaLauncher;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

/**
 * A host agent as it runs in production (the data plane's {@link HostAgent} and {@link
 * TableClient}, with its back-off and drain pause) but without a switch behind it, long-polling
 * through the balancer with TLS.
 */
final class BalancedAgent implements AutoCloseable {

  private final HostAgent agent;
  private final TableClient client;

  private BalancedAgent(HostAgent agent, TableClient client) {
    this.agent = agent;
    this.client = client;
  }

  static BalancedAgent start(TwoReplicaLauncher cloud, String hostId, String token) {
    Forwarder noSwitch =
        new Forwarder() {
          @Override
          public void install(HostTable table) {}

          @Override
          public CounterSnapshot counters() {
            return CounterSnapshot.EMPTY;
          }
        };
    HostAgent agent =
        new HostAgent(
            HostTable.empty(hostId, Encapsulation.VXLAN, IpAddress.parse("10.210.0.1")),
            noSwitch,
            new LeaseBook(LeaseAuthority.TABLE_ONLY));
    TableClient client =
        new TableClient(
            cloud.balancer(),
            token,
            agent,
            Duration.ofSeconds(10),
            new RetrySchedule(Duration.ofMillis(100), Duration.ofSeconds(2)),
            Duration.ofMillis(500),
            cloud.httpClient());
    client.start();
    return new BalancedAgent(agent, client);
  }

  /** Waits until the agent's table names every one of {@code macs}; fails with what is missing. */
  void awaitTableContaining(Collection<String> macs, Duration max) {
    Instant deadline = Instant.now().plus(max);
    while (true) {
      String table = TableJson.writeSnapshot(agent.table());
      java.util.List<String> missing = macs.stream().filter(m -> !table.contains(m)).toList();
      if (missing.isEmpty()) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(
            "after "
                + max
                + " the agent's table (generation "
                + agent.generation()
                + ", last error '"
                + client.lastError()
                + "') still lacks "
                + missing);
      }
      BalancedApi.sleep(Duration.ofMillis(100));
    }
  }

  long refusals() {
    return agent.refusals();
  }

  long generation() {
    return agent.generation();
  }

  @Override
  public void close() {
    client.close();
  }
}
