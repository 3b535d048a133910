package io.weft.dataplane.agent;

import io.weft.dataplane.backend.linux.LinuxHost;
import io.weft.dataplane.backend.linux.TapLocator;
import io.weft.dataplane.table.AddressRange;
import io.weft.dataplane.table.AddressingMode;
import io.weft.dataplane.table.DhcpConfig;
import io.weft.dataplane.table.Encapsulation;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.IpPrefix;
import io.weft.dataplane.table.LookupRecord;
import io.weft.dataplane.table.MacAddress;
import io.weft.dataplane.table.PortEntry;
import io.weft.dataplane.table.VmNetworkTable;
import io.weft.dataplane.table.VmSubnet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The training run behind the JDK AOT cache of {@code ./weft agent}: it starts an agent on the
 * linux backend from a kept table, as a restarted agent does, and stops it. The JVM runs it with
 * {@code -XX:AOTCacheOutput} and writes, as it exits, the classes this loaded and linked (and their
 * profiles) into a cache that later agent starts map instead of loading them again. It creates
 * nothing on the machine: the state directory is a temporary one, the fabric is a port nobody
 * listens on, the taps are sought in a namespace that does not exist, and the PA is 127.0.0.1 (a
 * raw GRE socket on loopback, closed at once; without root, not even that).
 */
public final class AgentTraining {

  private AgentTraining() {}

  public static void main(String[] args) throws Exception {
    Path state = Files.createTempDirectory("weft-agent-training");
    try {
      new AgentStateStore(state).saveTable(keptTable());
      AgentOptions options =
          AgentOptions.parse(
              new String[] {
                "--fabric=http://127.0.0.1:9",
                "--token=training",
                "--host-id=training",
                "--backend=linux",
                "--underlay-interface=lo",
                "--state-dir=" + state,
                "--http=127.0.0.1:0"
              },
              Map.of());
      TapLocator nowhere =
          portId -> new TapLocator.Location(TapLocator.tapName(portId), "/nonexistent");
      Thread.ofPlatform().daemon().start(LinuxHost::prepare);
      try (AgentProcess agent =
          AgentProcess.start(
              options,
              (initial, leases) ->
                  new LinuxHost(initial, leases, new LinuxHost.Options(null, nowhere, 32)),
              UnderlayAddresses.system())) {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("/health", "/metrics")) {
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + path))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
        }
        Thread.sleep(1500); // the table client's first poll, refused, and its back-off
      }
    } finally {
      try (var files = Files.walk(state)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.exit(0); // the agent's client threads are daemons, but its HTTP server's may not be
  }

  /** A table with one VM network, two local ports and a remote VM, on PA 127.0.0.1. */
  static HostTable keptTable() {
    UUID network = UUID.fromString("00000000-0000-0000-0000-00000000a0a0");
    IpAddress pa = IpAddress.parse("127.0.0.1");
    List<LookupRecord> records =
        List.of(record(10, pa), record(11, pa), record(12, IpAddress.parse("192.0.2.2")));
    List<PortEntry> ports = List.of(port("training-a", 10), port("training-b", 11));
    return new HostTable(
        "training",
        7,
        Encapsulation.NVGRE,
        pa,
        1400,
        List.of(
            new VmNetworkTable(
                network,
                List.of(
                    new VmSubnet(
                        5001,
                        IpPrefix.parse("10.0.0.0/24"),
                        IpAddress.parse("10.0.0.1"),
                        MacAddress.DISTRIBUTED_ROUTER,
                        new DhcpConfig(
                            List.of(
                                new AddressRange(
                                    IpAddress.parse("10.0.0.100"), IpAddress.parse("10.0.0.199"))),
                            3600,
                            List.of(IpAddress.parse("10.0.0.53"))))),
                records,
                ports)));
  }

  private static LookupRecord record(int host, IpAddress pa) {
    return new LookupRecord(5001, IpAddress.parse("10.0.0." + host), mac(host), pa);
  }

  private static PortEntry port(String id, int host) {
    return PortEntry.guarded(
        id, 5001, mac(host), AddressingMode.STATIC, List.of(IpAddress.parse("10.0.0." + host)));
  }

  private static MacAddress mac(int host) {
    return MacAddress.parse(String.format("02:a0:00:00:00:%02x", host));
  }
}
