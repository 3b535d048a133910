package io.weft.dataplane.lab;

import io.weft.dataplane.agent.AgentOptions;
import io.weft.dataplane.agent.AgentProcess;
import io.weft.dataplane.agent.UnderlayAddresses;
import io.weft.dataplane.backend.linux.LinuxHost;
import io.weft.dataplane.backend.linux.TapLocator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real agent process ({@link AgentProcess}, the linux backend, every option of {@code ./weft
 * agent}) placed in the lab: its underlay socket in host namespace {@code --lab-host=wl-NAME} and
 * the tap of port {@code P} named {@code --lab-tap=NAME} in VM namespace {@code wl-P}, where the
 * lab's "hypervisor" made it. The agent itself runs in the caller's namespace, so it reaches a
 * fabric on the machine's loopback. Root tests run it as a JVM of its own so they can kill it with
 * SIGKILL; it prints {@code weft lab agent: started} once its pipeline is up.
 */
public final class LabAgentMain {

  private LabAgentMain() {}

  public static void main(String[] args) throws Exception {
    String hostNs = null;
    String tap = "eth0";
    List<String> agentArgs = new ArrayList<>();
    for (String a : args) {
      if (a.startsWith("--lab-host=")) {
        hostNs = a.substring("--lab-host=".length());
      } else if (a.startsWith("--lab-tap=")) {
        tap = a.substring("--lab-tap=".length());
      } else {
        agentArgs.add(a);
      }
    }
    if (hostNs == null) {
      System.err.println("weft lab agent: --lab-host=NAMESPACE is required");
      System.exit(2);
    }
    AgentOptions options = AgentOptions.parse(agentArgs.toArray(String[]::new), System.getenv());
    AgentProcess agent = start(options, hostNs, tap);
    System.out.println("weft lab agent: started at generation " + agent.agent().generation());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> {
              try {
                agent.close();
              } catch (IOException e) {
                System.err.println("weft lab agent: shutdown: " + e);
              }
            }));
    Thread.currentThread().join();
  }

  /** Starts an agent on the linux backend with the lab's placement of underlay and taps. */
  public static AgentProcess start(AgentOptions options, String hostNs, String tapName)
      throws IOException {
    LinuxHost.Options placement = new LinuxHost.Options(hostNs, vmTaps(tapName), 32);
    return AgentProcess.start(
        options,
        (initial, leases) -> new LinuxHost(initial, leases, placement),
        UnderlayAddresses.system());
  }

  /** Port {@code P}'s tap is {@code tapName} in VM namespace {@code wl-P}. */
  public static TapLocator vmTaps(String tapName) {
    return portId -> new TapLocator.Location(tapName, Lab.PREFIX + portId);
  }

  /** The command line that runs this main with {@code java} on {@code classPath}. */
  public static List<String> command(
      String java,
      List<String> jvmOptions,
      String classPath,
      String hostNs,
      String tapName,
      Map<String, String> options) {
    // C1 and the serial GC: a small process that must be forwarding a second after it starts.
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC"));
    cmd.addAll(jvmOptions);
    cmd.addAll(
        List.of(
            "-cp",
            classPath,
            LabAgentMain.class.getName(),
            "--lab-host=" + hostNs,
            "--lab-tap=" + tapName));
    options.forEach((k, v) -> cmd.add("--" + k + "=" + v));
    return cmd;
  }
}
