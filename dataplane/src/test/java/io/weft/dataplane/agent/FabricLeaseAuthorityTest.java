package io.weft.dataplane.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.weft.dataplane.table.AddressingMode;
import io.weft.dataplane.table.DhcpConfig;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.IpPrefix;
import io.weft.dataplane.table.MacAddress;
import io.weft.dataplane.table.PortEntry;
import io.weft.dataplane.table.VmSubnet;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent asks the fabric for a DHCP address in the background and offers nothing itself. */
class FabricLeaseAuthorityTest {

  private HttpServer fabric;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startFakeFabric() throws Exception {
    fabric = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    fabric.createContext(
        "/api/v1/agent/leases",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          requests.add(exchange.getRequestHeaders().getFirst("Authorization") + " " + body);
          byte[] answer =
              "{\"portId\":\"p1\",\"address\":\"10.0.0.100\"}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    fabric.start();
  }

  @AfterEach
  void stop() {
    fabric.stop(0);
  }

  @Test
  void asksOnceWithTheHostTokenAndLeavesTheOfferToTheTable() throws Exception {
    FabricLeaseAuthority leases =
        new FabricLeaseAuthority(
            URI.create("http://127.0.0.1:" + fabric.getAddress().getPort()), "weft-agent-secret");
    PortEntry port =
        PortEntry.guarded(
            "p1", 5000, MacAddress.parse("02:57:46:00:00:01"), AddressingMode.DHCP, List.of());
    VmSubnet subnet =
        new VmSubnet(
            5000,
            IpPrefix.parse("10.0.0.0/24"),
            IpAddress.parse("10.0.0.1"),
            MacAddress.DISTRIBUTED_ROUTER,
            new DhcpConfig(List.of(), 3600, List.of()));

    assertThat(leases.leaseFor(port, subnet)).as("the agent never picks an address").isEmpty();
    assertThat(leases.leaseFor(port, subnet)).isEmpty();

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (requests.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Thread.sleep(200);
    assertThat(requests).containsExactly("Bearer weft-agent-secret {\"portId\":\"p1\"}");
  }
}
