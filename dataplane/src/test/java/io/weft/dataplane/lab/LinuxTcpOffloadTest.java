package io.weft.dataplane.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.backend.linux.DeviceStats;
import io.weft.dataplane.pipeline.DropReason;
import io.weft.dataplane.table.AddressingMode;
import io.weft.dataplane.table.Encapsulation;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bulk TCP between VM namespaces through two agents whose taps use segmentation offload: the VM's
 * stack hands 64 KB super-frames to its tap, the sending agent cuts them into wire-sized NVGRE
 * packets, the receiving agent joins them again for the other VM, and every byte arrives intact
 * (SHA-256 at both ends), across hosts and routed through the distributed gateway. A VM whose
 * interface MTU is above the overlay's is told so ("fragmentation needed") for plain and
 * super-frames alike, and its TCP carries on at the overlay MTU. Over VXLAN the kernel also cuts
 * the agents' messages into datagrams and joins them again on receipt (UDP GSO/GRO).
 */
@ExtendWith(SharedLab.class)
class LinuxTcpOffloadTest {

  private static final Duration T = Duration.ofSeconds(30);
  private static final int BYTES = 16 << 20;
  private static final UUID NETWORK_E = UUID.fromString("00000000-0000-0000-0000-0000000000ee");

  private static LabCloud cloud() {
    return SharedLab.cloud();
  }

  private static DeviceStats stats(String host) {
    return cloud().host(host).backend().deviceStats().join();
  }

  /** Sends BYTES from VM {@code from} to VM {@code to} at {@code address}; both ends' digests. */
  private static String[] transfer(String from, String to, String address, long seed)
      throws IOException, InterruptedException {
    return BulkTransfer.run(cloud(), from, Lab.PREFIX + to, address, seed, BYTES);
  }

  /**
   * Two VXLAN hosts of their own (h6, h7) with VM e1 and e2 in VM network E: the shared lab's hosts
   * stay on NVGRE for the other tests.
   */
  @BeforeAll
  static void vxlanHosts() throws IOException {
    synchronized (LinuxTcpOffloadTest.class) {
      if (cloud().host("h6") != null) {
        return;
      }
      cloud().addHost("h6", 16, Encapsulation.VXLAN);
      cloud().addHost("h7", 17, Encapsulation.VXLAN);
      cloud().network(NETWORK_E, SharedLab.subnet(8001, "10.4.0.0/24", "10.4.0.1"));
      cloud()
          .vm("e1", "h6", NETWORK_E, 8001, "02:0e:00:00:00:01", "10.4.0.10", AddressingMode.STATIC);
      cloud()
          .vm("e2", "h7", NETWORK_E, 8001, "02:0e:00:00:00:02", "10.4.0.11", AddressingMode.STATIC);
      cloud().push();
    }
  }

  @Test
  void overVxlanTheKernelCutsAndJoinsTheDatagramsAndTheBytesArriveIntact() throws Exception {
    DeviceStats h6 = stats("h6");
    DeviceStats h7 = stats("h7");

    String[] digests = transfer("e1", "e2", "10.4.0.11", 4);

    assertThat(digests[1]).isEqualTo(digests[0]).startsWith(BYTES + " ");
    long sends = stats("h6").underlaySegmentedSends() - h6.underlaySegmentedSends();
    long receives = stats("h7").underlayJoinedReceives() - h7.underlayJoinedReceives();
    System.out.printf(
        "16 MiB e1->e2 over VXLAN: %d segmented sends, %d joined receives%n", sends, receives);
    assertThat(sends).isPositive();
    assertThat(receives).isPositive();
    assertThat(stats("h6").underlaySendErrors()).isZero();
  }

  @Test
  void bulkTcpCrossesHostsIntactAsSuperFramesCutAndJoinedByTheAgents() throws Exception {
    DeviceStats h1 = stats("h1");
    DeviceStats h2 = stats("h2");

    String[] digests = transfer("a1", "a2", "10.0.0.11", 1);

    assertThat(digests[1]).isEqualTo(digests[0]).startsWith(BYTES + " ");
    DeviceStats h1After = stats("h1");
    DeviceStats h2After = stats("h2");
    long read = h1After.superFramesRead() - h1.superFramesRead();
    long cut = h1After.segmentsCut() - h1.segmentsCut();
    long written = h2After.superFramesWritten() - h2.superFramesWritten();
    long joined = h2After.segmentsJoined() - h2.segmentsJoined();
    System.out.printf(
        "16 MiB a1->a2: %d super-frames read, cut into %d segments; %d written, joining %d%n",
        read, cut, written, joined);
    assertThat(read).isPositive();
    assertThat(cut).isGreaterThan(2 * read); // the VM handed over more than one MTU per read
    assertThat(written).isPositive();
    assertThat(joined).isGreaterThan(written);
    assertThat(h1After.badOffloads()).isZero();
    assertThat(h2After.tapWriteErrors()).isZero();
  }

  @Test
  void bulkTcpRoutedThroughTheDistributedGatewayArrivesIntact() throws Exception {
    String[] digests = transfer("a1", "a3", "10.0.1.10", 2);

    assertThat(digests[1]).isEqualTo(digests[0]).startsWith(BYTES + " ");
  }

  @Test
  void aVmWhoseMtuExceedsTheOverlayIsToldSoAndItsTcpCarriesOn() throws Exception {
    Lab lab = cloud().lab();
    // Both ends at 1500, so TCP's MSS (1460) does not fit the overlay either.
    for (String vm : new String[] {"a1", "a2"}) {
      lab.ip(Lab.PREFIX + vm, "link", "set", "eth0", "mtu", "1500");
    }
    try {
      long before = tooBig();
      // A plain frame: 1500 bytes with DF, 100 over the overlay MTU.
      Lab.Result ping =
          cloud()
              .exec("a1", T, "ping", "-c", "1", "-M", "do", "-s", "1472", "-W", "1", "10.0.0.11");
      assertThat(ping.ok()).isFalse();
      assertThat(ping.output()).contains("mtu = " + LabCloud.OVERLAY_MTU);
      assertThat(tooBig()).isEqualTo(before + 1);
      lab.ip(Lab.PREFIX + "a1", "route", "flush", "cache");

      // Super-frames whose segments do not fit: one answer each, then TCP uses the overlay MTU.
      long beforeTcp = tooBig();
      String[] digests = transfer("a1", "a2", "10.0.0.11", 3);

      assertThat(digests[1]).isEqualTo(digests[0]).startsWith(BYTES + " ");
      long answered = tooBig() - beforeTcp;
      System.out.println("super-frames answered with fragmentation needed: " + answered);
      assertThat(answered).isBetween(1L, 10L); // not one per segment
    } finally {
      for (String vm : new String[] {"a1", "a2"}) {
        lab.ip(Lab.PREFIX + vm, "link", "set", "eth0", "mtu", "" + LabCloud.OVERLAY_MTU);
        lab.ip(Lab.PREFIX + vm, "route", "flush", "cache");
      }
    }
  }

  private static long tooBig() {
    return cloud().counters("h1").dropped(DropReason.TOO_BIG);
  }
}
