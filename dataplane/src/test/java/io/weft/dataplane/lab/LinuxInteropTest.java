package io.weft.dataplane.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.table.AddressingMode;
import io.weft.dataplane.table.Encapsulation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with software nobody here wrote. An Open vSwitch userspace bridge ({@code
 * datapath_type=netdev}, {@code type=gre, key=flow}) at 192.168.77.3 is an external NVGRE host in
 * tenant A's VM network; a Linux kernel VXLAN device at 192.168.77.4 is an external host of VM
 * network C, whose VM c1 lives on the VXLAN host h3. Each pings a VM behind a Weft agent and back,
 * and tshark decodes the wire: NVGRE keys carry VSID 5001, VXLAN headers VNI 7001.
 */
@ExtendWith(SharedLab.class)
class LinuxInteropTest {

  static final UUID NETWORK_C = UUID.fromString("00000000-0000-0000-0000-0000000000cc");
  private static final Duration T = Duration.ofSeconds(20);

  @TempDir Path dir;

  @BeforeAll
  static void peers() throws IOException {
    LabCloud cloud = SharedLab.cloud();
    synchronized (LinuxInteropTest.class) {
      if (cloud.host("h3") != null) {
        return;
      }
      Lab lab = cloud.lab();
      lab.host("ovs", 3);
      Lab.run(
          List.of(
              ovsScript(),
              "up",
              "wl-ovs",
              "192.168.77.3/24",
              "192.168.77.1",
              "5001",
              "10.0.0.50/24",
              "02:0e:00:00:00:50",
              "10.0.0.10",
              "02:0a:00:00:00:01"),
          T);
      cloud.external(SharedLab.NETWORK_A, 5001, "10.0.0.50", "02:0e:00:00:00:50", "192.168.77.3");

      String kvx = lab.host("kvx", 4);
      lab.ip(
          kvx,
          "link",
          "add",
          "vx0",
          "type",
          "vxlan",
          "id",
          "7001",
          "local",
          "192.168.77.4",
          "dstport",
          "4789",
          "nolearning");
      lab.ip(kvx, "link", "set", "vx0", "address", "02:0c:00:00:00:50", "mtu", "1400", "up");
      lab.ip(kvx, "addr", "add", "10.2.0.50/24", "dev", "vx0");
      Lab.run(
          List.of(
              "bridge",
              "-n",
              kvx,
              "fdb",
              "append",
              "00:00:00:00:00:00",
              "dev",
              "vx0",
              "dst",
              "192.168.77.5"),
          T);
      lab.ip(
          kvx,
          "neigh",
          "replace",
          "10.2.0.10",
          "lladdr",
          "02:0c:00:00:00:01",
          "dev",
          "vx0",
          "nud",
          "permanent");
      cloud.addHost("h3", 5, Encapsulation.VXLAN);
      cloud.network(NETWORK_C, SharedLab.subnet(7001, "10.2.0.0/24", "10.2.0.1"));
      cloud.vm(
          "c1", "h3", NETWORK_C, 7001, "02:0c:00:00:00:01", "10.2.0.10", AddressingMode.STATIC);
      cloud.external(NETWORK_C, 7001, "10.2.0.50", "02:0c:00:00:00:50", "192.168.77.4");
      cloud.push();
    }
  }

  private static String ovsScript() {
    Path p = Path.of("lab/ovs-peer.sh");
    return (Files.exists(p) ? p : Path.of("dataplane/lab/ovs-peer.sh")).toAbsolutePath().toString();
  }

  @Test
  void openVswitchNvgrePeerAndAWeftVmPingEachOtherWithTheVsidInTheKey() throws Exception {
    Path pcap = dir.resolve("nvgre.pcap");
    Process dump = capture("wl-h1", pcap, "ip proto 47");
    Lab.Result out =
        SharedLab.cloud().exec("a1", T, "ping", "-c", "2", "-i", "0.2", "-W", "2", "10.0.0.50");
    Lab.Result in =
        SharedLab.cloud()
            .lab()
            .tryExec("wl-ovs", T, "ping", "-c", "2", "-i", "0.2", "-W", "2", "10.0.0.10");
    stop(dump);
    assertThat(out.ok()).as(out.output()).isTrue();
    assertThat(in.ok()).as(in.output()).isTrue();
    List<String> decoded = tshark(pcap, "gre.key");
    // Requests and replies both ways; every key's upper 24 bits are tenant A's VSID 5001.
    assertThat(decoded).hasSizeGreaterThanOrEqualTo(8);
    for (String line : decoded) {
      String[] f = line.split("\t");
      assertThat(Long.decode(f[0]) >>> 8).as(line).isEqualTo(5001);
      assertThat(f[1]).as(line).contains("10.0.0.10").contains("10.0.0.50");
    }
  }

  @Test
  void kernelVxlanPeerAndAWeftVmPingEachOtherWithTheVniInTheHeader() throws Exception {
    Path pcap = dir.resolve("vxlan.pcap");
    Process dump = capture("wl-h3", pcap, "udp port 4789");
    Lab.Result out =
        SharedLab.cloud().exec("c1", T, "ping", "-c", "2", "-i", "0.2", "-W", "2", "10.2.0.50");
    Lab.Result in =
        SharedLab.cloud()
            .lab()
            .tryExec("wl-kvx", T, "ping", "-c", "2", "-i", "0.2", "-W", "2", "10.2.0.10");
    stop(dump);
    assertThat(out.ok()).as(out.output()).isTrue();
    assertThat(in.ok()).as(in.output()).isTrue();
    List<String> decoded = tshark(pcap, "vxlan.vni");
    assertThat(decoded).hasSizeGreaterThanOrEqualTo(8);
    for (String line : decoded) {
      String[] f = line.split("\t");
      assertThat(f[0]).as(line).isEqualTo("7001");
      assertThat(f[1]).as(line).contains("10.2.0.10").contains("10.2.0.50");
    }
  }

  @Test
  void bulkTcpFromAWeftVmReachesAVmBehindTheKernelVxlanDeviceIntact() throws Exception {
    // The agent hands the kernel 64 KB UDP messages to cut (UDP_SEGMENT): the kernel's own VXLAN
    // device must get ordinary datagrams, in order, with the right VNI. Its own TCP segments it
    // would leave with a partial checksum (a veth never completes one, a NIC would): not here.
    SharedLab.cloud().lab().exec("wl-kvx", T, "ethtool", "-K", "vx0", "tx", "off");
    String[] digests = BulkTransfer.run(SharedLab.cloud(), "c1", "wl-kvx", "10.2.0.50", 5, 4 << 20);

    assertThat(digests[1]).isEqualTo(digests[0]).startsWith((4 << 20) + " ");
  }

  @Test
  void vxlanFromAWeftVmLeavesFromASourcePortItsInnerFlowPicksAndTheKernelPeerTakesIt()
      throws Exception {
    // 16 inner UDP flows (source ports 40001..40016), two datagrams each, to the kernel's VXLAN
    // device: RFC 7348 wants the outer source port from a hash of the inner flow, in 49152-65535.
    // Each datagram is a byte longer than the one before, so none joins another in one UDP_SEGMENT
    // message (the capture would show such a message as one datagram, with the first flow only).
    Path pcap = dir.resolve("entropy.pcap");
    Process dump = capture("wl-h3", pcap, "udp dst port 4789 and src host 192.168.77.5");
    long before = rxPackets("wl-kvx", "vx0");
    Lab.Result sent =
        SharedLab.cloud()
            .exec(
                "c1",
                T,
                "/usr/bin/python3",
                "-c",
                """
                import socket
                size = 7
                for port in range(40001, 40017):
                    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    s.bind(("10.2.0.10", port))
                    for _ in range(2):
                        s.sendto(b"e" * size, ("10.2.0.50", 9))
                        size += 1
                    s.close()
                """);
    assertThat(sent.ok()).as(sent.output()).isTrue();
    long received = 0;
    for (int i = 0; i < 50 && received < 32; i++) {
      Thread.sleep(100);
      received = rxPackets("wl-kvx", "vx0") - before;
    }
    assertThat(received).as("datagrams the kernel's VXLAN device took").isGreaterThanOrEqualTo(32);
    // tcpdump may still hold the last packets it read when told to stop: wait for them in the file
    Map<String, Set<Integer>> outerByFlow = new TreeMap<>();
    String out = "";
    for (int i = 0; i < 50 && outerByFlow.size() < 16; i++) {
      Thread.sleep(100);
      out = outerAndInnerSourcePorts(pcap);
      outerByFlow.clear();
      for (String line : out.lines().filter(l -> l.contains(",")).toList()) {
        String[] ports = line.strip().split(",");
        outerByFlow.computeIfAbsent(ports[1], k -> new TreeSet<>()).add(Integer.parseInt(ports[0]));
      }
    }
    stop(dump);
    assertThat(outerByFlow)
        .as(() -> Lab.attempt(List.of("tcpdump", "-nn", "-v", "-r", pcap.toString()), T).output())
        .hasSize(16);
    Set<Integer> outer = new TreeSet<>();
    outerByFlow.forEach((flow, ports) -> {
      assertThat(ports).as("outer ports of inner flow " + flow).hasSize(1);
      assertThat(ports.iterator().next()).isBetween(49152, 65535);
      outer.addAll(ports);
    });
    assertThat(outer).as("outer source ports of 16 flows: " + outerByFlow).hasSizeGreaterThan(1);
  }

  /**
   * "outer,inner" UDP source ports of every VXLAN datagram in the capture bound for port 9 (a file
   * still being written may end in a cut record: tshark then complains, after the packets it read).
   */
  private static String outerAndInnerSourcePorts(Path pcap) {
    return Lab.attempt(
            List.of(
                "tshark",
                "-r",
                pcap.toString(),
                "-Y",
                "vxlan && udp.dstport == 9",
                "-T",
                "fields",
                "-e",
                "udp.srcport"),
            T)
        .output();
  }

  private static long rxPackets(String ns, String device) throws IOException {
    String json = SharedLab.cloud().lab().ip(ns, "-s", "-j", "link", "show", "dev", device);
    return io.weft.dataplane.table.TableJson.mapper()
        .readTree(json)
        .get(0)
        .path("stats64")
        .path("rx")
        .path("packets")
        .asLong();
  }

  /** tcpdump on a host's underlay port, writing {@code pcap}; returns once it listens. */
  private static Process capture(String ns, Path pcap, String filter) throws IOException {
    Process p =
        SharedLab.cloud()
            .lab()
            .spawn(
                ns,
                "tcpdump",
                "-Z",
                "root",
                "--immediate-mode",
                "-i",
                "eth0",
                "-U",
                "-w",
                pcap.toString(),
                filter);
    BufferedReader err =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = err.readLine()) != null; ) {
      if (line.contains("listening on")) {
        return p;
      }
    }
    throw new IOException("tcpdump did not start");
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroy(); // SIGTERM: tcpdump flushes and closes the file
    p.waitFor(5, TimeUnit.SECONDS);
  }

  /** ICMP packets in the capture as "KEY-OR-VNI \t ip.src,ip.dst of outer and inner". */
  private static List<String> tshark(Path pcap, String field) throws IOException {
    String out =
        Lab.run(
            List.of(
                "tshark",
                "-r",
                pcap.toString(),
                "-Y",
                "icmp",
                "-T",
                "fields",
                "-e",
                field,
                "-e",
                "ip.addr"),
            T);
    return out.lines().filter(l -> !l.isBlank() && Character.isDigit(l.charAt(0))).toList();
  }
}
