package io.weft.bench.lab;

import io.weft.dataplane.lab.Lab;
import io.weft.dataplane.lab.LabCloud;
import io.weft.dataplane.lab.TwoTenantLab;
import io.weft.dataplane.table.AddressingMode;
import io.weft.dataplane.table.Encapsulation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code ./weft bench lab [SECONDS]}: VM→VM throughput between two VM namespaces on two hosts, over
 * four paths side by side in one run, on the same namespaces and cores. Each VM namespace has three
 * interfaces: {@code eth0}, a TAP port of a Weft agent (Linux backend; measured over NVGRE, then
 * the same agents over VXLAN); {@code eth1}, a veth bridged to a kernel VXLAN device in the host
 * namespace; {@code eth2}, a veth on an Open vSwitch userspace bridge tunnelling NVGRE (hosts
 * wl-o1/wl-o2). All overlays have MTU 1400. iperf3 UDP with 64-byte payloads ({@code -u -l 64 -b
 * 0}, packets/s received) and TCP (one stream, Gbit/s received). Needs root, iperf3 and
 * openvswitch-switch. {@code ./weft bench lab SECONDS weft} measures the Weft paths alone (for
 * profiling it; the side-by-side figures come from a full run).
 */
public final class LabBench {

  private static final UUID NETWORK = UUID.fromString("00000000-0000-0000-0000-0000000000be");
  private static final Duration T = Duration.ofSeconds(60);

  private record Path3(String name, String target, String vmDevice) {}

  private record Result(String path, double udpPps, double udpLossPercent, double tcpGbps) {}

  /** {@code ./weft bench lab SECONDS weft udp}: the UDP tests alone (for profiling them). */
  private static boolean udpOnly;

  private LabBench() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    boolean weftOnly = args.length > 1 && args[1].equals("weft");
    udpOnly = args.length > 2 && args[2].equals("udp");
    String reason = Lab.unavailableReason();
    if (reason != null) {
      System.err.println("bench lab: " + reason);
      System.exit(2);
    }
    try (LabCloud cloud = LabCloud.start(Encapsulation.NVGRE, List.of("h1", "h2"))) {
      Lab lab = cloud.lab();
      cloud.network(NETWORK, TwoTenantLab.subnet(5001, "10.0.0.0/24", "10.0.0.1"));
      cloud.vm("v1", "h1", NETWORK, 5001, "02:be:00:00:00:01", "10.0.0.10", AddressingMode.STATIC);
      cloud.vm("v2", "h2", NETWORK, 5001, "02:be:00:00:00:02", "10.0.0.11", AddressingMode.STATIC);
      cloud.push();
      List<Result> results = new ArrayList<>();
      // The same agents, VMs and taps over each encapsulation (an agent reopens its underlay
      // socket when its table says so); back to NVGRE before the kernel's VXLAN device takes 4789.
      for (Encapsulation e : List.of(Encapsulation.NVGRE, Encapsulation.VXLAN)) {
        cloud.encapsulation(e);
        Path3 weft = new Path3("Weft (linux backend, " + e + ")", "10.0.0.11", "eth0");
        ping(lab, weft.target());
        results.add(measure(lab, weft, seconds));
        System.out.println(format(results.getLast()));
        System.out.println(
            "  agents so far: h1 " + cloud.host("h1").backend().deviceStats().join());
        System.out.println(
            "                 h2 " + cloud.host("h2").backend().deviceStats().join());
      }
      cloud.encapsulation(Encapsulation.NVGRE);
      if (!weftOnly) {
        kernelVxlan(lab);
        openVswitch(lab);
        for (Path3 p :
            List.of(
                new Path3("kernel VXLAN", "10.9.0.11", "eth1"),
                new Path3("Open vSwitch userspace NVGRE", "10.8.0.11", "eth2"))) {
          ping(lab, p.target());
          results.add(measure(lab, p, seconds));
          System.out.println(format(results.getLast()));
        }
        report(results, seconds);
      }
    }
  }

  private static void ping(Lab lab, String target) throws IOException {
    lab.exec("wl-v1", T, "ping", "-c", "3", "-i", "0.2", "-W", "2", target);
  }

  /**
   * Measured at the receiving VM's interface (its kernel counters): UDP packets/s and TCP Gbit/s of
   * frames received. iperf3's own end-of-test exchange hangs after a 64-byte flood through OVS
   * userspace, so a client that does not end by itself is stopped after the test time, and the
   * counters do not depend on it. TCP runs first, then UDP, each with a fresh server.
   */
  private static Result measure(Lab lab, Path3 p, int seconds) throws Exception {
    System.out.println("measuring " + p.name());
    double[] tcp = udpOnly ? new double[3] : run(lab, p, seconds, "-t", Integer.toString(seconds));
    double[] udp =
        run(lab, p, seconds, "-u", "-l", "64", "-b", "0", "-t", Integer.toString(seconds));
    return new Result(p.name(), udp[0], udp[2], tcp[1] * 8 / 1e9);
  }

  /** Runs one iperf3 client; returns rx packets/s, rx bytes/s and 0 (ended) or -1 (stopped). */
  private static double[] run(Lab lab, Path3 p, int seconds, String... args) throws Exception {
    Process server = lab.spawn("wl-v2", "iperf3", "-s");
    try {
      Thread.sleep(300);
      List<String> cmd = new ArrayList<>(List.of("iperf3", "-c", p.target()));
      cmd.addAll(List.of(args));
      long[] before = rx(lab, p.vmDevice());
      long start = System.nanoTime();
      Lab.Result r =
          lab.tryExec("wl-v1", Duration.ofSeconds(seconds + 3), cmd.toArray(String[]::new));
      long[] after = rx(lab, p.vmDevice());
      // A client that hangs after its test time sends nothing more: count its test time only.
      double secs = Math.min((System.nanoTime() - start) / 1e9, seconds + 0.2);
      if (!r.ok()) {
        System.out.println("  (" + p.name() + ": iperf3 " + args[0] + " client did not end)");
      }
      return new double[] {
        (after[0] - before[0]) / secs, (after[1] - before[1]) / secs, r.ok() ? 0 : -1
      };
    } finally {
      server.destroyForcibly().waitFor();
    }
  }

  /** rx packets and bytes of the receiving VM's interface. */
  private static long[] rx(Lab lab, String device) throws IOException {
    JsonNode link =
        new ObjectMapper()
            .readTree(lab.ip("wl-v2", "-s", "-j", "link", "show", "dev", device))
            .get(0)
            .path("stats64")
            .path("rx");
    return new long[] {link.path("packets").asLong(), link.path("bytes").asLong()};
  }

  /** eth1 of each VM: a veth on a bridge with a kernel VXLAN device (VNI 9001) in its host. */
  private static void kernelVxlan(Lab lab) throws IOException {
    for (int i = 1; i <= 2; i++) {
      String host = "wl-h" + i;
      String vm = "wl-v" + i;
      String remote = Lab.PA_NET + (3 - i);
      lab.ip(
          host,
          "link",
          "add",
          "vx0",
          "type",
          "vxlan",
          "id",
          "9001",
          "local",
          Lab.PA_NET + i,
          "dstport",
          "4789",
          "nolearning");
      lab.ip(host, "link", "add", "br-vx", "type", "bridge");
      lab.ip(host, "link", "set", "vx0", "master", "br-vx", "up");
      lab.ip(host, "link", "set", "br-vx", "up");
      runBridge(host, "fdb", "append", "00:00:00:00:00:00", "dev", "vx0", "dst", remote);
      lab.ip(host, "link", "add", "kv", "type", "veth", "peer", "name", "eth1", "netns", vm);
      lab.ip(host, "link", "set", "kv", "master", "br-vx", "up");
      lab.ip(vm, "link", "set", "eth1", "mtu", "1400", "up");
      lab.ip(vm, "addr", "add", "10.9.0.1" + (i - 1) + "/24", "dev", "eth1");
    }
  }

  /** eth2 of each VM: a veth on an OVS userspace bridge in hosts wl-o1/wl-o2, NVGRE VSID 5001. */
  private static void openVswitch(Lab lab) throws IOException {
    Path script = Path.of("dataplane/lab/ovs-peer.sh");
    if (!Files.exists(script)) {
      script = Path.of("../dataplane/lab/ovs-peer.sh");
    }
    for (int i = 1; i <= 2; i++) {
      String host = lab.host("o" + i, 20 + i);
      String vm = "wl-v" + i;
      lab.ip(host, "link", "add", "ovm", "type", "veth", "peer", "name", "eth2", "netns", vm);
      lab.ip(vm, "link", "set", "eth2", "mtu", "1400", "up");
      lab.ip(vm, "addr", "add", "10.8.0.1" + (i - 1) + "/24", "dev", "eth2");
      // OVS userspace reads the veth with AF_PACKET and does not finish offloaded checksums.
      lab.exec(vm, T, "ethtool", "-K", "eth2", "tx", "off");
      ProcessBuilder pb =
          new ProcessBuilder(
              script.toAbsolutePath().toString(),
              "up",
              host,
              Lab.PA_NET + (20 + i) + "/24",
              Lab.PA_NET + (23 - i),
              "5001",
              "-",
              "-");
      pb.environment().put("OVS_VM_PORT", "ovm");
      pb.redirectErrorStream(true);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes());
      try {
        if (p.waitFor() != 0) {
          throw new IOException("ovs-peer.sh failed: " + out);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
  }

  private static void runBridge(String ns, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("bridge", "-n", ns));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      if (p.waitFor() != 0) {
        throw new IOException(
            String.join(" ", cmd) + ": " + new String(p.getInputStream().readAllBytes()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static String format(Result r) {
    return String.format(
        Locale.ROOT,
        "| %-30s | %,12.0f | %-8s | %6.2f |",
        r.path(),
        r.udpPps(),
        r.udpLossPercent() < 0 ? "hung" : "ended",
        r.tcpGbps());
  }

  private static void report(List<Result> results, int seconds) {
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "iperf3, %d s per test, 2 VM namespaces, 2 hosts, overlay MTU 1400%n",
        seconds);
    System.out.println(
        "| path                           | UDP-64B pps received | UDP client | TCP Gbit/s |");
    System.out.println("|---|---:|---:|---:|");
    for (Result r : results) {
      System.out.println(format(r));
    }
    Result kernel = results.get(2);
    Result ovs = results.get(3);
    System.out.println();
    for (Result weft : results.subList(0, 2)) {
      System.out.printf(
          Locale.ROOT,
          "Goals, %s: UDP >= 0.8x kernel VXLAN: %.2fx (%s); >= 2x OVS userspace: %.2fx (%s);"
              + " TCP >= 2 Gbit/s: %.2f (%s)%n",
          weft.path(),
          weft.udpPps() / kernel.udpPps(),
          weft.udpPps() >= 0.8 * kernel.udpPps() ? "met" : "missed",
          weft.udpPps() / ovs.udpPps(),
          weft.udpPps() >= 2 * ovs.udpPps() ? "met" : "missed",
          weft.tcpGbps(),
          weft.tcpGbps() >= 2 ? "met" : "missed");
    }
  }
}
