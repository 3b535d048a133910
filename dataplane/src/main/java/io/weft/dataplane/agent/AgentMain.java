package io.weft.dataplane.agent;

import io.weft.dataplane.pipeline.LeaseAuthority;
import io.weft.dataplane.sim.SimulatedCloud;
import io.weft.dataplane.sim.SimulatedHost;
import io.weft.dataplane.table.Encapsulation;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one host agent as a process: {@code --fabric=URL --token=TOKEN --host-id=ID
 * [--encapsulation=NVGRE|VXLAN] [--backend=memory]}. Only the memory backend exists so far: the
 * host forwards between simulated ports in this JVM, which is enough to exercise distribution.
 */
public final class AgentMain {

  private AgentMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (!a.startsWith("--") || eq < 0) {
        usage("bad argument " + a);
      }
      opts.put(a.substring(2, eq), a.substring(eq + 1));
    }
    String fabric = opts.get("fabric");
    String token = opts.getOrDefault("token", System.getenv("WEFT_HOST_TOKEN"));
    String hostId = opts.get("host-id");
    if (fabric == null || token == null || hostId == null) {
      usage("--fabric, --token (or WEFT_HOST_TOKEN) and --host-id are required");
    }
    if (!"memory".equals(opts.getOrDefault("backend", "memory"))) {
      usage("only --backend=memory is available");
    }
    Encapsulation encapsulation =
        Encapsulation.valueOf(opts.getOrDefault("encapsulation", "NVGRE"));
    SimulatedCloud cloud =
        SimulatedCloud.start(List.of(hostId), encapsulation, LeaseAuthority.TABLE_ONLY);
    SimulatedHost host = cloud.host(hostId);
    host.connect(URI.create(fabric), token);
    System.out.println("weft agent " + hostId + " polling " + fabric + " (memory backend)");
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> {
              try {
                cloud.close();
              } catch (Exception e) {
                System.err.println("shutdown: " + e);
              }
            }));
    Thread.currentThread().join();
  }

  private static void usage(String problem) {
    System.err.println(problem);
    System.err.println(
        "usage: AgentMain --fabric=URL --token=TOKEN --host-id=ID"
            + " [--encapsulation=NVGRE|VXLAN] [--backend=memory]");
    System.exit(2);
  }
}
