package io.weft.dataplane.sim;

import static io.weft.dataplane.table.TableFixtures.ip;

import io.weft.dataplane.agent.CommandReply;
import io.weft.dataplane.agent.FabricCommand;
import io.weft.dataplane.agent.ProbeCommands;
import io.weft.dataplane.table.Encapsulation;
import io.weft.dataplane.table.IpPrefix;
import io.weft.dataplane.table.MacAddress;
import io.weft.dataplane.table.TableJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.StreamSupport;
import tools.jackson.databind.JsonNode;

/**
 * Two simulated hosts, h1 and h2, with a {@link MiniFabric} pushing their tables: the probe
 * commands' tests set up their networks and VMs on it and send the agents' commands directly.
 */
final class ProbeLab implements AutoCloseable {

  final SimulatedCloud cloud;
  final MiniFabric fabric;

  ProbeLab(Encapsulation encapsulation) {
    RangeLeaseAuthority leases = new RangeLeaseAuthority();
    cloud = SimulatedCloud.start(List.of("h1", "h2"), encapsulation, leases);
    fabric = new MiniFabric(cloud, leases);
  }

  /** Starts the simulated VM behind {@code port} on {@code host}, with a static address. */
  void vm(String host, String port, String mac, String address, String cidr, String gateway) {
    SimulatedVm vm = cloud.host(host).startVm(port, MacAddress.parse(mac));
    vm.configureStatic(ip(address), IpPrefix.parse(cidr), ip(gateway));
  }

  /**
   * Starts {@code host}'s watch for {@code count} echoes tagged {@code nonce} (3 s at most), and
   * gives it 100 ms to be in place before the caller injects them.
   */
  CompletableFuture<CommandReply> watch(String host, String nonce, int count)
      throws InterruptedException {
    CompletableFuture<CommandReply> watch =
        CompletableFuture.supplyAsync(() ->
            cloud
                .host(host)
                .commands()
                .dispatch(
                    command(
                        ProbeCommands.WATCH,
                        "{\"nonce\":\"%s\",\"count\":%d,\"timeoutMs\":3000}"
                            .formatted(nonce, count))));
    Thread.sleep(100);
    return watch;
  }

  /** Injects echoes from {@code port} on {@code host}; {@code more} adds fields (",\"k\":v"). */
  CommandReply inject(String host, String nonce, String port, String destination, String more) {
    return cloud
        .host(host)
        .commands()
        .dispatch(
            command(
                ProbeCommands.INJECT,
                "{\"nonce\":\"%s\",\"portId\":\"%s\",\"destination\":\"%s\"%s}"
                    .formatted(nonce, port, destination, more)));
  }

  static FabricCommand command(String kind, String payload) {
    return new FabricCommand(
        UUID.randomUUID().toString(),
        kind,
        TableJson.mapper().readTree(payload),
        Instant.now().plusSeconds(10));
  }

  /** A command's observations as "DIRECTION STAGE", in order. */
  static List<String> steps(JsonNode result) {
    List<String> out = new ArrayList<>();
    for (JsonNode o : result.path("observations")) {
      out.add(o.path("direction").asString() + " " + o.path("stage").asString());
    }
    return out;
  }

  /** How many replies the source host delivered to the probing vNIC's port. */
  static long deliveredReplies(JsonNode source) {
    return StreamSupport.stream(source.path("observations").spliterator(), false)
        .filter(o ->
            o.path("direction").asString().equals("REPLY")
                && o.path("stage").asString().equals("DELIVER"))
        .count();
  }

  @Override
  public void close() throws Exception {
    fabric.close();
    cloud.close();
  }
}
