package io.weft.dataplane.agent;

import io.weft.dataplane.pipeline.LeaseAuthority;
import io.weft.dataplane.pipeline.LeaseEvent;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.PortEntry;
import io.weft.dataplane.table.VmSubnet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the fabric for a DHCP vNIC's address. The fabric owns addresses, so the agent never picks
 * one: on a DISCOVER for a port whose table entry has no address yet, this posts {@code POST
 * /api/v1/agent/leases {"portId": ...}} in the background and offers nothing; the fabric allocates
 * from the subnet's DHCP ranges, the address arrives in the next table delta, and the client's
 * retried DISCOVER is answered from the table. Called on the switch thread, so it never blocks.
 */
public final class FabricLeaseAuthority implements LeaseAuthority {

  private static final Logger LOG = LoggerFactory.getLogger(FabricLeaseAuthority.class);
  private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

  private final URI fabric;
  private final String hostToken;
  private final CompletableFuture<HttpClient> http;
  private final Map<String, Long> askedAt = new ConcurrentHashMap<>();

  public FabricLeaseAuthority(URI fabric, String hostToken) {
    this.fabric = fabric;
    this.hostToken = hostToken;
    // Built off the start-up path: a client costs a cold JVM a tenth of a second, and a restarted
    // agent forwards from its kept table before anyone asks for a lease.
    this.http =
        CompletableFuture.supplyAsync(
            () -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build(),
            r -> Thread.ofVirtual().name("weft-lease-client").start(r));
  }

  @Override
  public Optional<IpAddress> leaseFor(PortEntry port, VmSubnet subnet) {
    long now = System.nanoTime();
    Long last = askedAt.get(port.portId());
    if (last == null || now - last > RETRY_AFTER.toNanos()) {
      askedAt.put(port.portId(), now);
      request(port.portId());
    }
    return Optional.empty();
  }

  @Override
  public void leaseEvent(LeaseEvent event) {
    // The fabric records the address when it allocates it; nothing more to report here.
  }

  private void request(String portId) {
    HttpRequest request =
        HttpRequest.newBuilder(fabric.resolve("/api/v1/agent/leases"))
            .timeout(Duration.ofSeconds(5))
            .header("Authorization", "Bearer " + hostToken)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"portId\":\"" + portId + "\"}"))
            .build();
    http.thenCompose(c -> c.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
        .whenComplete((response, failure) -> {
          if (failure != null) {
            LOG.debug("lease request for {} failed", portId, failure);
          } else if (response.statusCode() >= 300) {
            LOG.debug("lease request for {} answered {}", portId, response.statusCode());
          }
        });
  }
}
