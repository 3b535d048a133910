package io.weft.bench.lab;

import io.weft.dataplane.agent.AgentStateStore;
import io.weft.dataplane.backend.linux.TapLocator;
import io.weft.dataplane.lab.Lab;
import io.weft.dataplane.lab.LabCloud;
import io.weft.dataplane.lab.TwoTenantLab;
import io.weft.dataplane.table.AddressingMode;
import io.weft.dataplane.table.Encapsulation;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.LookupRecord;
import io.weft.dataplane.table.MacAddress;
import io.weft.dataplane.table.PortEntry;
import io.weft.dataplane.table.VmNetworkTable;
import io.weft.dataplane.table.VmSubnet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * {@code ./weft bench agent-restart [RUNS] [nocache]}: how soon the real {@code ./weft agent}
 * forwards again after it was killed. Host wl-h1 runs an agent in this JVM with VM v1 (10.0.0.10)
 * behind it; host wl-h2 runs {@code ./weft agent --backend=linux} itself (in its namespace, with
 * {@code ip netns exec}), whose one port's tap {@code wtv2} the "hypervisor" made in the host's
 * namespace with VM v2's MAC and address 10.0.0.11, so the host namespace's own stack answers as
 * the VM. The agent's fabric is a port nobody listens on: it forwards on the table it kept on disk,
 * as after a restart with the fabric unreachable. v1 pings v2 every 10 ms; each run SIGKILLs the
 * agent, waits 300 ms, launches the command again and reports the time from the launch to the first
 * echo reply v1 receives. The first launch (which may build and make the AOT cache) is not counted.
 * {@code nocache} starts the agent without its AOT cache ({@code WEFT_AGENT_AOT=off}).
 */
public final class AgentRestartBench {

  private static final UUID NETWORK = UUID.fromString("00000000-0000-0000-0000-0000000000ae");
  private static final VmSubnet SUBNET = TwoTenantLab.subnet(5001, "10.0.0.0/24", "10.0.0.1");
  private static final String V2_MAC = "02:ae:00:00:00:02";

  private AgentRestartBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    boolean noCache = args.length > 1 && args[1].equals("nocache");
    String reason = Lab.unavailableReason();
    if (reason != null) {
      System.err.println("bench agent-restart: " + reason);
      System.exit(2);
    }
    Path weft = Path.of("weft").toAbsolutePath();
    if (!Files.exists(weft)) {
      weft = Path.of("../weft").toAbsolutePath().normalize();
    }
    Path state = Files.createTempDirectory("weft-agent-restart-bench");
    try (LabCloud cloud = LabCloud.start(Encapsulation.NVGRE, List.of("h1"))) {
      Lab lab = cloud.lab();
      cloud.network(NETWORK, SUBNET);
      cloud.vm("v1", "h1", NETWORK, 5001, "02:ae:00:00:00:01", "10.0.0.10", AddressingMode.STATIC);
      String h2 = lab.host("h2", 2);
      cloud.external(NETWORK, 5001, "10.0.0.11", V2_MAC, Lab.PA_NET + 2);
      cloud.push();
      String tap = TapLocator.tapName("v2");
      lab.ip(h2, "tuntap", "add", "dev", tap, "mode", "tap");
      lab.ip(h2, "link", "set", tap, "address", V2_MAC, "mtu", "1400", "up");
      lab.ip(h2, "addr", "add", "10.0.0.11/24", "dev", tap);
      new AgentStateStore(state).saveTable(keptTable(IpAddress.parse(Lab.PA_NET + 2)));
      List<String> command =
          List.of(
              "ip",
              "netns",
              "exec",
              h2,
              weft.toString(),
              "agent",
              "--fabric=http://127.0.0.1:9",
              "--token=bench",
              "--host-id=h2",
              "--backend=linux",
              "--underlay-interface=eth0",
              "--state-dir=" + state,
              "--http=off");
      Path log = state.resolve("agent.log");
      Pinger pinger =
          new Pinger(lab.spawn("wl-v1", "ping", "-D", "-i", "0.01", "-W", "1", "10.0.0.11"));
      try {
        Process agent = launch(command, weft, log, noCache);
        if (pinger.firstReplyAfter(System.currentTimeMillis() - 1, Duration.ofMinutes(5)) < 0) {
          throw new IllegalStateException("the agent never forwarded; see " + log);
        }
        System.out.println("first launch forwarding (build and cache done); measuring");
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
          agent.destroyForcibly(); // SIGKILL: nothing saved on the way out
          agent.waitFor();
          Thread.sleep(300);
          long launched = System.currentTimeMillis();
          agent = launch(command, weft, log, noCache);
          long reply = pinger.firstReplyAfter(launched, Duration.ofSeconds(30));
          if (reply < 0) {
            throw new IllegalStateException("no reply within 30 s after launch; see " + log);
          }
          millis.add(reply - launched);
          System.out.printf(
              Locale.ROOT, "run %d: first reply %d ms after launch%n", i + 1, reply - launched);
        }
        agent.destroyForcibly().waitFor();
        millis.sort(null);
        System.out.printf(
            Locale.ROOT,
            "./weft agent%s, kill -9 and launch again, %d runs: launch -> first forwarded reply"
                + " min %d ms, median %d ms, max %d ms%n",
            noCache ? " (no AOT cache)" : "",
            runs,
            millis.getFirst(),
            millis.get(millis.size() / 2),
            millis.getLast());
      } finally {
        pinger.process.destroyForcibly();
      }
    } finally {
      try (var files = Files.walk(state)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Process launch(List<String> command, Path weft, Path log, boolean noCache)
      throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(weft.getParent().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    if (noCache) {
      pb.environment().put("WEFT_AGENT_AOT", "off");
    }
    return pb.start();
  }

  /** Host h2's table as the fabric last sent it: port v2, and v1 behind h1. */
  private static HostTable keptTable(IpAddress pa) {
    MacAddress v2 = MacAddress.parse(V2_MAC);
    return new HostTable(
        "h2",
        1,
        Encapsulation.NVGRE,
        pa,
        LabCloud.OVERLAY_MTU,
        List.of(
            new VmNetworkTable(
                NETWORK,
                List.of(SUBNET),
                List.of(
                    new LookupRecord(
                        5001,
                        IpAddress.parse("10.0.0.10"),
                        MacAddress.parse("02:ae:00:00:00:01"),
                        IpAddress.parse(Lab.PA_NET + 1)),
                    new LookupRecord(5001, IpAddress.parse("10.0.0.11"), v2, pa)),
                List.of(
                    PortEntry.guarded(
                        "v2",
                        5001,
                        v2,
                        AddressingMode.STATIC,
                        List.of(IpAddress.parse("10.0.0.11")))))));
  }

  /** {@code ping -D}'s replies, by the time (epoch ms) each was received. */
  private static final class Pinger {
    final Process process;
    private final ConcurrentLinkedQueue<Long> replies = new ConcurrentLinkedQueue<>();

    Pinger(Process process) {
      this.process = process;
      Thread.ofPlatform()
          .daemon()
          .start(() -> {
            try (BufferedReader r =
                new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
              String line;
              while ((line = r.readLine()) != null) {
                if (line.startsWith("[") && line.contains("bytes from")) {
                  double seconds = Double.parseDouble(line.substring(1, line.indexOf(']')));
                  replies.add((long) (seconds * 1000));
                }
              }
            } catch (IOException | RuntimeException e) {
              // the pinger ended
            }
          });
    }

    /** The first reply received after {@code epochMillis}, waiting up to {@code timeout}. */
    long firstReplyAfter(long epochMillis, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (long t : replies) {
          if (t > epochMillis) {
            return t;
          }
        }
        Thread.sleep(5);
      }
      return -1;
    }
  }
}
