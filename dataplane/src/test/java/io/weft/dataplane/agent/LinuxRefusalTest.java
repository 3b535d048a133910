package io.weft.dataplane.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.dataplane.backend.linux.LinuxHost;
import io.weft.dataplane.backend.linux.TapLocator;
import io.weft.dataplane.lab.Lab;
import io.weft.dataplane.table.TableJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refusal on the real linux backend (root): a table naming a port whose tap cannot be created (an
 * interface of another kind already has its name) is refused with the kernel's reason, the previous
 * table's taps stay, and the agent keeps its generation. Runs in a network namespace of its own
 * (prefix {@code wa-}, not the lab's {@code wl-}), deleted afterwards with everything in it.
 */
class LinuxRefusalTest {

  @TempDir Path state;
  private String ns;
  private FakeFabric fabric;

  @BeforeEach
  void namespace() throws IOException {
    String reason = Lab.unavailableReason();
    if (reason != null) {
      System.out.println("SKIPPED (linux refusal): " + reason);
    }
    assumeTrue(reason == null, reason);
    ns = "wa-refuse-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));
    ip("netns", "add", ns);
    ip("-n", ns, "link", "set", "lo", "up");
    ip("-n", ns, "address", "add", "192.168.1.1/32", "dev", "lo");
    // The tap name the port "bad-port" would get, taken by a veth interface.
    ip(
        "-n",
        ns,
        "link",
        "add",
        TapLocator.tapName("bad-port"),
        "type",
        "veth",
        "peer",
        "name",
        "wabadpeer");
    fabric = new FakeFabric();
  }

  @AfterEach
  void remove() throws IOException {
    if (fabric != null) {
      fabric.close();
    }
    if (ns != null) {
      ip("netns", "del", ns);
    }
  }

  private static void ip(String... args) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(command + " did not finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
    if (p.exitValue() != 0) {
      throw new IOException(command + ": " + new String(p.getInputStream().readAllBytes()).strip());
    }
  }

  @Test
  void aTapThatCannotBeCreatedIsRefusedAndThePreviousTapsStay() throws Exception {
    AgentOptions o =
        AgentOptions.parse(
            new String[] {
              "--fabric=" + fabric.uri(),
              "--token=t",
              "--host-id=host-1",
              "--state-dir=" + state,
              "--http=off",
              "--backend=linux"
            },
            Map.of());
    String namespace = ns;
    AgentProcess.BackendFactory linux =
        (initial, leases) ->
            new LinuxHost(
                initial,
                leases,
                new LinuxHost.Options(
                    namespace,
                    portId -> new TapLocator.Location(TapLocator.tapName(portId), namespace),
                    32));
    try (AgentProcess agent = AgentProcess.start(o, linux, UnderlayAddresses.system())) {
      fabric.serve(AgentProcessTest.table(5, "192.168.1.1"));
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (agent.agent().generation() != 5 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(agent.agent().generation()).isEqualTo(5);
      ip("-n", ns, "link", "show", "wtp1"); // throws if the tap is missing

      fabric.serve(AgentProcessTest.table(6, "192.168.1.1", "bad-port"));
      String status = fabric.statusContaining("bad-port");
      String reason =
          TableJson.mapper().readTree(status).path("lastRejection").path("reason").asString();
      System.out.println("[agent] linux backend refused table 6: " + reason);
      assertThat(reason).contains("cannot create devices").contains("bad-port");
      assertThat(agent.agent().generation()).isEqualTo(5);
      ip("-n", ns, "link", "show", "wtp1");
      ip("-n", ns, "link", "show", "wtp2");
    }
  }
}
