package io.weft.dataplane.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.pipeline.DropReason;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real packets between VM namespaces through two Weft agents on the Linux backend (TAP ports, NVGRE
 * on a raw socket): kernel ping and TCP within a VM network across hosts, in one subnet and routed
 * through the distributed gateway; nothing between the two tenants, whose CIDRs are identical. Each
 * TCP server answers with its VM's name, so a connection proves which VM it reached.
 */
@ExtendWith(SharedLab.class)
class LinuxReachabilityTest {

  private static final Duration T = Duration.ofSeconds(10);
  private static final List<Process> servers = new ArrayList<>();

  @BeforeAll
  static void startNameServers() throws IOException {
    for (String vm : List.of("a2", "a3", "b2", "b3")) {
      servers.add(SharedLab.cloud().lab().spawn(Lab.PREFIX + vm, "python3", "-c", NAME_SERVER, vm));
    }
  }

  @AfterAll
  static void stopNameServers() {
    servers.forEach(Process::destroyForcibly);
    servers.clear();
  }

  private static final String NAME_SERVER =
      """
      import socket, sys
      s = socket.socket()
      s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
      s.bind(("0.0.0.0", 7000))
      s.listen()
      while True:
          c, _ = s.accept()
          c.sendall(sys.argv[1].encode())
          c.close()
      """;

  private static final String CLIENT =
      """
      import socket, sys, time
      for attempt in range(20):
          try:
              s = socket.create_connection((sys.argv[1], 7000), timeout=1)
              print(s.recv(16).decode())
              sys.exit(0)
          except ConnectionRefusedError:
              time.sleep(0.1)
      sys.exit(1)
      """;

  private static Lab.Result ping(String vm, String target) {
    return SharedLab.cloud().exec(vm, T, "ping", "-c", "2", "-i", "0.2", "-W", "1", target);
  }

  private static Lab.Result connect(String vm, String target) {
    return SharedLab.cloud().exec(vm, T, "python3", "-c", CLIENT, target);
  }

  @Test
  void pingCrossesHostsWithinASubnet() {
    Lab.Result r = ping("a1", "10.0.0.11");
    assertThat(r.ok()).as(r.output()).isTrue();
    assertThat(ping("b1", "10.0.0.11").ok()).isTrue();
  }

  @Test
  void pingIsRoutedAcrossSubnetsThroughTheDistributedGateway() {
    Lab.Result r = ping("a1", "10.0.1.10");
    assertThat(r.ok()).as(r.output()).isTrue();
    assertThat(r.output()).contains("ttl=63"); // one routed hop: the distributed gateway
  }

  @Test
  void tcpReachesTheSameAddressInEachTenantsOwnVm() {
    assertThat(connect("a1", "10.0.0.11").output()).isEqualTo("a2");
    assertThat(connect("b1", "10.0.0.11").output()).isEqualTo("b2");
    assertThat(connect("a1", "10.0.1.10").output()).isEqualTo("a3"); // routed
  }

  @Test
  void nothingCrossesBetweenVmNetworksInEitherDirection() {
    long before = SharedLab.cloud().counters("h1").dropped(DropReason.NO_ROUTE);
    // 10.0.0.12 exists only in B, 10.0.1.10 only in A.
    assertThat(ping("a1", "10.0.0.12").ok()).isFalse();
    assertThat(ping("b1", "10.0.1.10").ok()).isFalse();
    assertThat(SharedLab.cloud().exec("a1", T, "python3", "-c", CLIENT, "10.0.0.12").ok())
        .isFalse();
    assertThat(SharedLab.cloud().exec("b1", T, "python3", "-c", CLIENT, "10.0.1.10").ok())
        .isFalse();
    assertThat(SharedLab.cloud().counters("h1").dropped(DropReason.NO_ROUTE)).isGreaterThan(before);
  }
}
