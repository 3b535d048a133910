package io.weft.dataplane.agent;

import io.weft.dataplane.backend.HostBackend;
import io.weft.dataplane.backend.linux.LinuxHost;
import io.weft.dataplane.backend.memory.MemoryHost;
import io.weft.dataplane.backend.memory.MemoryUnderlay;
import io.weft.dataplane.pipeline.LeaseAuthority;
import io.weft.dataplane.table.Encapsulation;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs one host agent as a process: {@code --fabric=URL --token=TOKEN --host-id=ID
 * [--encapsulation=NVGRE|VXLAN] [--backend=memory|linux]}. Only the memory backend exists so far:
 * the host forwards between simulated ports in this JVM, which is enough to exercise distribution.
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
    String backendName = opts.getOrDefault("backend", "memory");
    if (!backendName.equals("memory") && !backendName.equals("linux")) {
      usage("--backend must be memory or linux, not " + backendName);
    }
    Encapsulation encapsulation =
        Encapsulation.valueOf(opts.getOrDefault("encapsulation", "NVGRE"));
    // The memory backend alone: a switch with no neighbours, enough to exercise distribution.
    HostTable empty = HostTable.empty(hostId, encapsulation, IpAddress.parse("192.168.100.1"));
    ExecutorService loop =
        Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon().name("weft-switch").unstarted(r));
    LeaseBook leases = new LeaseBook(LeaseAuthority.TABLE_ONLY);
    // linux: TAP ports named after the port ids and the underlay socket on the table's PA, both
    // opened once the first table arrives (backend.linux.LinuxHost).
    HostBackend backend =
        backendName.equals("linux")
            ? new LinuxHost(empty, leases, LinuxHost.Options.defaults())
            : new MemoryHost(empty, new MemoryUnderlay(), loop, leases);
    HostAgent agent = new HostAgent(empty, new BackendForwarder(backend), leases);
    TableClient client = new TableClient(URI.create(fabric), token, agent);
    client.start();
    System.out.println(
        "weft agent " + hostId + " polling " + fabric + " (" + backendName + " backend)");
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> {
              client.close();
              try {
                backend.close();
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
            + " [--encapsulation=NVGRE|VXLAN] [--backend=memory|linux]");
    System.exit(2);
  }
}
