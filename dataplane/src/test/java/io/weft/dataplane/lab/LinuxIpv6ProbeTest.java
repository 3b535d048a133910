package io.weft.dataplane.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.agent.CommandDispatcher;
import io.weft.dataplane.agent.CommandReply;
import io.weft.dataplane.agent.FabricCommand;
import io.weft.dataplane.agent.ProbeCommands;
import io.weft.dataplane.backend.linux.DeviceStats;
import io.weft.dataplane.table.AddressingMode;
import io.weft.dataplane.table.IpPrefix;
import io.weft.dataplane.table.MacAddress;
import io.weft.dataplane.table.TableJson;
import io.weft.dataplane.table.VmSubnet;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * IPv6 on the Linux lab (root): a VM network with two IPv6 subnets on the shared lab's hosts h1 and
 * h2 (NVGRE), VMs with static addresses in their own namespaces. The kernels ping6 each other
 * across hosts and routed (neighbour discovery answered by the hosts), and a live probe injected by
 * h1's agent at v6a's tap gets its ICMPv6 echo reply from v6b's own kernel stack on h2: h2's switch
 * records the reply entering at v6b's port, h1's delivering it back. Bulk TCP over IPv6 arrives
 * intact, its segments joined into super-frames for v6b ({@code GSO_TCPV6}).
 */
@ExtendWith(SharedLab.class)
class LinuxIpv6ProbeTest {

  static final UUID NETWORK_D = UUID.fromString("00000000-0000-0000-0000-0000000000dd");
  private static final Duration T = Duration.ofSeconds(20);

  @BeforeAll
  static void ipv6Network() throws IOException {
    LabCloud cloud = SharedLab.cloud();
    synchronized (LinuxIpv6ProbeTest.class) {
      if (cloud.vm("v6a") != null) {
        return;
      }
      cloud.network(NETWORK_D, subnet(8001, "fd00:d:0:1::/64"), subnet(8002, "fd00:d:0:2::/64"));
      AddressingMode s = AddressingMode.STATIC;
      cloud.vm("v6a", "h1", NETWORK_D, 8001, "02:0d:00:00:00:01", "fd00:d:0:1::10", s);
      cloud.vm("v6b", "h2", NETWORK_D, 8001, "02:0d:00:00:00:02", "fd00:d:0:1::11", s);
      cloud.vm("v6c", "h2", NETWORK_D, 8002, "02:0d:00:00:00:03", "fd00:d:0:2::10", s);
      cloud.push();
    }
  }

  /** An IPv6 subnet, gateway ::1, no DHCP (the data plane has no DHCPv6). */
  private static VmSubnet subnet(int vsid, String cidr) {
    IpPrefix prefix = IpPrefix.parse(cidr);
    return new VmSubnet(
        vsid, prefix, prefix.network().plus(1), MacAddress.DISTRIBUTED_ROUTER, null);
  }

  @Test
  void theVmsKernelsPing6AcrossHostsWithinASubnetAndRouted() {
    Lab.Result same = ping6("v6a", "fd00:d:0:1::11");
    assertThat(same.ok()).as(same.output()).isTrue();
    Lab.Result routed = ping6("v6a", "fd00:d:0:2::10");
    assertThat(routed.ok()).as(routed.output()).isTrue();
    assertThat(routed.output()).contains("ttl=63"); // one routed hop: the distributed gateway
  }

  @Test
  void bulkIpv6TcpArrivesIntactAndTheReceivingAgentJoinsItsSegments() throws Exception {
    DeviceStats h2 = SharedLab.cloud().host("h2").backend().deviceStats().join();

    int bytes = 8 << 20;
    String[] digests =
        BulkTransfer.run(SharedLab.cloud(), "v6a", Lab.PREFIX + "v6b", "fd00:d:0:1::11", 6, bytes);

    assertThat(digests[1]).isEqualTo(digests[0]).startsWith(bytes + " ");
    DeviceStats after = SharedLab.cloud().host("h2").backend().deviceStats().join();
    long written = after.superFramesWritten() - h2.superFramesWritten();
    long joined = after.segmentsJoined() - h2.segmentsJoined();
    System.out.printf(
        "8 MiB v6a->v6b over IPv6: %d super-frames written to v6b, joining %d segments%n",
        written, joined);
    assertThat(written).isPositive();
    assertThat(joined).isGreaterThan(written);
    assertThat(after.tapWriteErrors()).isZero();
  }

  @Test
  void anIpv6ProbeCrossesTwoLinuxHostsAndTheReplyComesFromTheVmsOwnKernel() throws Exception {
    LabCloud cloud = SharedLab.cloud();
    CommandDispatcher h1 = dispatcher(cloud.host("h1"));
    CommandDispatcher h2 = dispatcher(cloud.host("h2"));
    String nonce = "00000000c0ffee6a";
    CompletableFuture<CommandReply> watch =
        CompletableFuture.supplyAsync(() ->
            h2.dispatch(
                command(
                    ProbeCommands.WATCH,
                    "{\"nonce\":\"" + nonce + "\",\"count\":3,\"timeoutMs\":4000}")));
    Thread.sleep(100);
    CommandReply inject =
        h1.dispatch(
            command(
                ProbeCommands.INJECT,
                "{\"nonce\":\""
                    + nonce
                    + "\",\"portId\":\"v6a\",\"destination\":\"fd00:d:0:1::11\","
                    + "\"count\":3,\"timeoutMs\":4000}"));
    assertThat(inject.succeeded()).as(String.valueOf(inject)).isTrue();
    JsonNode source = inject.result();
    System.out.println("lab IPv6 probe v6a -> v6b: " + source);
    assertThat(source.path("sourceAddress").asString()).isEqualTo("fd00:d:0:1::10");
    assertThat(source.path("checks").get(0).path("name").asString()).isEqualTo("GATEWAY_ND");
    assertThat(source.path("checks").get(0).path("ok").asBoolean()).isTrue();
    assertThat(steps(source))
        .contains("REQUEST ENCAPSULATE", "REPLY DECAPSULATE", "REPLY DELIVER")
        .doesNotContain("REQUEST DROP", "REPLY DROP");
    long replies =
        observations(source).stream()
            .filter(o -> o.path("direction").asString().equals("REPLY"))
            .filter(o -> o.path("stage").asString().equals("DELIVER"))
            .map(o -> o.path("sequence").asInt())
            .distinct()
            .count();
    assertThat(replies).as("v6b's kernel answered all three echoes").isEqualTo(3);

    CommandReply there = watch.get();
    assertThat(there.succeeded()).as(String.valueOf(there)).isTrue();
    // The reply entered h2's switch at v6b's tap: v6b's kernel wrote it, nobody else could.
    assertThat(observations(there.result()))
        .anySatisfy(o -> {
          assertThat(o.path("direction").asString()).isEqualTo("REPLY");
          assertThat(o.path("from").asString()).isEqualTo("port v6b");
          assertThat(o.path("stage").asString()).isEqualTo("PORT_SECURITY");
          assertThat(o.path("detail").asString()).contains("fd00:d:0:1::11");
        });
  }

  private static Lab.Result ping6(String vm, String target) {
    return SharedLab.cloud().exec(vm, T, "ping", "-6", "-c", "2", "-i", "0.2", "-W", "2", target);
  }

  private static CommandDispatcher dispatcher(LabCloud.Host host) {
    CommandDispatcher d = new CommandDispatcher();
    ProbeCommands.register(d, host.agent(), host.backend());
    return d;
  }

  private static FabricCommand command(String kind, String payload) {
    return new FabricCommand(
        UUID.randomUUID().toString(),
        kind,
        TableJson.mapper().readTree(payload),
        Instant.now().plusSeconds(10));
  }

  private static List<JsonNode> observations(JsonNode result) {
    List<JsonNode> out = new ArrayList<>();
    result.path("observations").forEach(out::add);
    return out;
  }

  private static List<String> steps(JsonNode result) {
    return observations(result).stream()
        .map(o -> o.path("direction").asString() + " " + o.path("stage").asString())
        .toList();
  }
}
