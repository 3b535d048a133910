package io.weft.dataplane.lab;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small cloud of network namespaces on one machine, made with {@code ip}: an underlay namespace
 * {@code wl-u} with bridge {@code br0}, host namespaces whose {@code eth0} carries a PA on that
 * bridge, and VM namespaces whose {@code eth0} is a persistent TAP device (made as a hypervisor
 * would, then attached to by the host's agent). Everything it makes is named {@code wl-...} and
 * lives in those namespaces, so deleting them removes it all; {@link #start()} first sweeps what a
 * killed run left behind. Needs root (CAP_SYS_ADMIN, CAP_NET_ADMIN).
 */
public final class Lab implements AutoCloseable {

  public static final String PREFIX = "wl-";
  public static final String UNDERLAY = PREFIX + "u";

  /** PAs are 192.168.77.N/24 on the underlay bridge. */
  public static final String PA_NET = "192.168.77.";

  private static final Logger LOG = LoggerFactory.getLogger(Lab.class);
  private final Set<String> namespaces = new LinkedHashSet<>();

  private Lab() {}

  /** Why the lab cannot run here, or null when it can. */
  public static String unavailableReason() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return "the lab needs root (network namespaces, TAP devices, raw sockets); running as "
          + System.getProperty("user.name");
    }
    if (!Files.exists(Path.of("/dev/net/tun"))) {
      return "no /dev/net/tun on this machine";
    }
    try {
      run(List.of("ip", "-V"), Duration.ofSeconds(5));
    } catch (IOException e) {
      return "no iproute2 'ip' command: " + e.getMessage();
    }
    return null;
  }

  /** Sweeps leftovers, then makes the underlay namespace and its bridge. */
  public static Lab start() throws IOException {
    sweep();
    Lab lab = new Lab();
    try {
      lab.netns(UNDERLAY);
      lab.ip(UNDERLAY, "link", "add", "br0", "type", "bridge");
      lab.ip(UNDERLAY, "link", "set", "br0", "up");
    } catch (IOException | RuntimeException e) {
      lab.close();
      throw e;
    }
    return lab;
  }

  /** Deletes every {@code wl-} namespace (ending the processes the lab started in them). */
  public static void sweep() throws IOException {
    for (String line : run(List.of("ip", "netns", "list"), Duration.ofSeconds(5)).split("\n")) {
      String ns = line.trim().split("\\s+")[0];
      if (ns.startsWith(PREFIX)) {
        deleteNamespace(ns);
      }
    }
    removeOvsRunDirectories();
  }

  /** Run directories of Open vSwitch peers ({@code dataplane/lab/ovs-peer.sh}). */
  private static void removeOvsRunDirectories() throws IOException {
    try (var dirs = Files.newDirectoryStream(Path.of("/tmp"), "weft-lab-ovs-" + PREFIX + "*")) {
      for (Path dir : dirs) {
        try (var files = Files.walk(dir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  private static void deleteNamespace(String ns) {
    try {
      for (String pid :
          run(List.of("ip", "netns", "pids", ns), Duration.ofSeconds(5)).split("\\s+")) {
        if (!pid.isBlank()) {
          ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
      run(List.of("ip", "netns", "del", ns), Duration.ofSeconds(10));
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not delete namespace {}: {}", ns, e.getMessage());
    }
  }

  /**
   * A host namespace {@code wl-NAME} with PA {@code 192.168.77.N} on {@code eth0}, a veth whose
   * other end is on the underlay bridge. Returns the namespace name.
   */
  public String host(String name, int n) throws IOException {
    String ns = PREFIX + name;
    netns(ns);
    String peer = "p-" + name;
    ip(UNDERLAY, "link", "add", peer, "type", "veth", "peer", "name", "eth0", "netns", ns);
    ip(UNDERLAY, "link", "set", peer, "master", "br0", "up");
    ip(ns, "addr", "add", PA_NET + n + "/24", "dev", "eth0");
    ip(ns, "link", "set", "eth0", "up");
    return ns;
  }

  /**
   * A VM namespace {@code wl-NAME} whose {@code eth0} is a persistent TAP with {@code mac} and
   * {@code mtu}, as a hypervisor makes it; the agent attaches to it by name. Returns the namespace.
   */
  public String vm(String name, String mac, int mtu) throws IOException {
    String ns = PREFIX + name;
    netns(ns);
    ip(ns, "tuntap", "add", "dev", "eth0", "mode", "tap");
    ip(ns, "link", "set", "eth0", "address", mac, "mtu", Integer.toString(mtu), "up");
    return ns;
  }

  /**
   * Gives a VM a static address and a default route, as its own configuration would; an IPv6
   * address skips duplicate address detection (usable at once; the host would answer for nobody).
   */
  public void address(String ns, String cidr, String gateway) throws IOException {
    if (cidr.contains(":")) {
      ip(ns, "addr", "add", cidr, "dev", "eth0", "nodad");
    } else {
      ip(ns, "addr", "add", cidr, "dev", "eth0");
    }
    ip(ns, "route", "add", "default", "via", gateway);
  }

  public String netns(String ns) throws IOException {
    run(List.of("ip", "netns", "add", ns), Duration.ofSeconds(10));
    namespaces.add(ns);
    ip(ns, "link", "set", "lo", "up");
    return ns;
  }

  /** {@code ip -n NS ARGS...}. */
  public String ip(String ns, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
    cmd.addAll(List.of(args));
    return run(cmd, Duration.ofSeconds(10));
  }

  /** Runs {@code cmd} inside namespace {@code ns}; throws with its output when it fails. */
  public String exec(String ns, Duration timeout, String... cmd) throws IOException {
    return run(inNamespace(ns, cmd), timeout);
  }

  /** Runs {@code cmd} inside {@code ns} and returns its exit code and output, never throwing. */
  public Result tryExec(String ns, Duration timeout, String... cmd) {
    return attempt(inNamespace(ns, cmd), timeout);
  }

  /** Starts a long-running process inside {@code ns}; the lab ends it when it closes. */
  public Process spawn(String ns, String... cmd) throws IOException {
    return new ProcessBuilder(inNamespace(ns, cmd)).redirectErrorStream(true).start();
  }

  private static List<String> inNamespace(String ns, String... cmd) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(List.of(cmd));
    return full;
  }

  /** Exit code and combined output of a command. */
  public record Result(int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  static String run(List<String> cmd, Duration timeout) throws IOException {
    Result r = attempt(cmd, timeout);
    if (!r.ok()) {
      throw new IOException(
          String.join(" ", cmd) + " failed (" + r.exitCode() + "): " + r.output());
    }
    return r.output();
  }

  static Result attempt(List<String> cmd, Duration timeout) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      // Read while it runs: a process blocked on a full pipe would never end.
      Thread reader =
          Thread.ofVirtual()
              .start(() -> {
                try {
                  p.getInputStream().transferTo(out);
                } catch (IOException ignored) {
                  // the process went away; what was read is kept
                }
              });
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        reader.join(1000);
        return new Result(-1, "timed out after " + timeout + ": " + text(out));
      }
      reader.join(2000);
      return new Result(p.exitValue(), text(out));
    } catch (IOException e) {
      return new Result(-2, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-3, "interrupted");
    }
  }

  private static String text(ByteArrayOutputStream b) {
    synchronized (b) {
      return b.toString(StandardCharsets.UTF_8).strip();
    }
  }

  /** Deletes the namespaces this lab made, newest first, with whatever runs in them. */
  @Override
  public void close() {
    List<String> all = new ArrayList<>(namespaces);
    for (int i = all.size() - 1; i >= 0; i--) {
      deleteNamespace(all.get(i));
    }
    namespaces.clear();
    try {
      removeOvsRunDirectories();
    } catch (IOException e) {
      LOG.warn("could not remove Open vSwitch run directories: {}", e.getMessage());
    }
  }
}
