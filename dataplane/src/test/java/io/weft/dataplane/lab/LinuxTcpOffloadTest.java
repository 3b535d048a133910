package io.weft.dataplane.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.backend.linux.LinuxHost;
import io.weft.dataplane.pipeline.DropReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bulk TCP between VM namespaces through two agents whose taps use segmentation offload: the VM's
 * stack hands 64 KB super-frames to its tap, the sending agent cuts them into wire-sized NVGRE
 * packets, the receiving agent joins them again for the other VM, and every byte arrives intact
 * (SHA-256 at both ends), across hosts and routed through the distributed gateway. A VM whose
 * interface MTU is above the overlay's is told so ("fragmentation needed") for plain and
 * super-frames alike, and its TCP carries on at the overlay MTU.
 */
@ExtendWith(SharedLab.class)
class LinuxTcpOffloadTest {

  private static final Duration T = Duration.ofSeconds(30);
  private static final int BYTES = 16 << 20;

  private static final String RECEIVER =
      """
      import hashlib, socket
      s = socket.socket()
      s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
      s.bind(("0.0.0.0", 7100))
      s.listen()
      c, _ = s.accept()
      h, n = hashlib.sha256(), 0
      while True:
          b = c.recv(1 << 20)
          if not b:
              break
          h.update(b)
          n += len(b)
      print(n, h.hexdigest(), flush=True)
      """;

  private static final String SENDER =
      """
      import hashlib, random, socket, sys, time
      data = random.Random(int(sys.argv[2])).randbytes(int(sys.argv[3]))
      for attempt in range(50):
          try:
              s = socket.create_connection((sys.argv[1], 7100), timeout=10)
              break
          except ConnectionRefusedError:
              time.sleep(0.1)
      s.sendall(data)
      s.close()
      print(len(data), hashlib.sha256(data).hexdigest())
      """;

  private static LabCloud cloud() {
    return SharedLab.cloud();
  }

  private static LinuxHost.DeviceStats stats(String host) {
    return cloud().host(host).backend().deviceStats().join();
  }

  /** Sends BYTES from VM {@code from} to VM {@code to} at {@code address}; both ends' digests. */
  private static String[] transfer(String from, String to, String address, long seed)
      throws IOException, InterruptedException {
    Process receiver = cloud().lab().spawn(Lab.PREFIX + to, "python3", "-c", RECEIVER);
    try {
      Lab.Result sent =
          cloud().exec(from, T, "python3", "-c", SENDER, address, Long.toString(seed), "" + BYTES);
      assertThat(sent.ok()).as(sent.output()).isTrue();
      assertThat(receiver.waitFor(10, TimeUnit.SECONDS)).isTrue();
      String received =
          new String(receiver.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return new String[] {sent.output(), received};
    } finally {
      receiver.destroyForcibly();
    }
  }

  @Test
  void bulkTcpCrossesHostsIntactAsSuperFramesCutAndJoinedByTheAgents() throws Exception {
    LinuxHost.DeviceStats h1 = stats("h1");
    LinuxHost.DeviceStats h2 = stats("h2");

    String[] digests = transfer("a1", "a2", "10.0.0.11", 1);

    assertThat(digests[1]).isEqualTo(digests[0]).startsWith(BYTES + " ");
    LinuxHost.DeviceStats h1After = stats("h1");
    LinuxHost.DeviceStats h2After = stats("h2");
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
