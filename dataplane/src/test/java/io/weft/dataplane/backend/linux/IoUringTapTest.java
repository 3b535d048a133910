package io.weft.dataplane.backend.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.dataplane.lab.Lab;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link IoUring} against a real tap in a namespace of its own ({@code wut-ring}, not the lab's
 * {@code wl-} prefix, so it never meets the shared lab): frames the namespace's kernel sends come
 * back as completions of one multishot read, each naming the provided buffer it filled; running out
 * of buffers ends the read (and re-arming it goes on); queued writes reach the namespace; a
 * cancelled read ends with {@code -ECANCELED}, after which the tap can be removed and opened again
 * by name at once. Root only; skips, saying why, elsewhere or on a kernel without io_uring.
 */
class IoUringTapTest {

  private static final String NS = "wut-ring";
  private static final String TAP = "wut0";
  private static final int ENOBUFS = 105;
  private static final int ECANCELED = 125;

  private IoUring ring;
  private TapDevice tap;

  @BeforeEach
  void namespace() throws Exception {
    String reason = Lab.unavailableReason();
    if (reason != null) {
      System.out.println("SKIPPED (io_uring tap): " + reason);
    }
    assumeTrue(reason == null, reason);
    try {
      ring = IoUring.open(16);
    } catch (IOException e) {
      System.out.println("SKIPPED (io_uring tap): " + e.getMessage());
      assumeTrue(false, e.getMessage());
    }
    sh("ip", "netns", "del", NS);
    sh("ip", "netns", "add", NS);
    // No IPv6 (router solicitations, MLD): only the ARP frames the test asks for leave the tap.
    sh("ip", "netns", "exec", NS, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
    sh("ip", "netns", "exec", NS, "sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1");
    tap = TapDevice.open(TAP, NS, false);
    ip("link", "set", TAP, "up");
    ip("addr", "add", "10.77.0.1/24", "dev", TAP);
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (tap != null) {
      tap.close(true);
    }
    if (ring != null) {
      ring.close();
    }
    sh("ip", "netns", "del", NS);
  }

  @Test
  void framesArriveAsCompletionsOfOneMultishotReadAndWritesReachTheNamespace() throws Exception {
    BufferRing buffers = ring.buffers(4, 2048);
    try {
      assertThat(ring.readMultishot(tap.fd, 0, 42)).isTrue();
      ring.submit();
      // Six ARP requests for an absent neighbour: more frames than the four buffers.
      arping(6);

      List<Integer> types = new ArrayList<>();
      int ended = 0;
      int endedWith = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (types.size() < 6 && System.nanoTime() < deadline) {
        ring.submit(0);
        while (ring.next()) {
          assertThat(ring.userData).isEqualTo(42);
          if ((ring.flags & IoUring.CQE_F_BUFFER) != 0) {
            int id = ring.flags >>> IoUring.CQE_BUFFER_SHIFT;
            assertThat(ring.res).isGreaterThanOrEqualTo(42); // an Ethernet ARP frame
            long at = buffers.offset(id);
            types.add(
                Short.toUnsignedInt(
                    buffers
                        .data()
                        .get(
                            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN),
                            at + 12)));
            buffers.recycle(id);
          }
          if ((ring.flags & IoUring.CQE_F_MORE) == 0) {
            ended++;
            endedWith = ring.res;
            ring.readMultishot(tap.fd, 0, 42); // ended (out of buffers): read on
          }
        }
        ring.release();
        Thread.sleep(20);
      }
      System.out.printf(
          "io_uring tap: %d frames, the read ended %d times (last %d)%n",
          types.size(), ended, endedWith);
      assertThat(types).hasSizeGreaterThanOrEqualTo(6).containsOnly(0x0806);
      if (ended > 0) {
        assertThat(endedWith).isIn(-ENOBUFS, 0);
      }

      long before = rxPackets();
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment frame = arena.allocate(60, 64);
        for (int i = 0; i < 6; i++) {
          frame.set(ValueLayout.JAVA_BYTE, i, (byte) 0xFF); // broadcast
        }
        frame.set(ValueLayout.JAVA_BYTE, 6, (byte) 0x02);
        frame.set(ValueLayout.JAVA_BYTE, 12, (byte) 0x88); // an experimental ethertype
        frame.set(ValueLayout.JAVA_BYTE, 13, (byte) 0xB5);
        for (int i = 0; i < 5; i++) {
          assertThat(ring.write(tap.fd, frame.address(), 60, 7)).isTrue();
        }
        ring.submit(5);
        int written = 0;
        while (ring.next()) {
          if (ring.userData == 7) {
            assertThat(ring.res).isEqualTo(60);
            written++;
          }
        }
        ring.release();
        assertThat(written).isEqualTo(5);
      }
      assertThat(rxPackets() - before).isEqualTo(5);

      assertThat(ring.cancelNow(42)).isZero();
      ring.submit(0);
      boolean cancelled = false;
      while (ring.next()) {
        if (ring.userData == 42 && (ring.flags & IoUring.CQE_F_MORE) == 0) {
          cancelled = ring.res == -ECANCELED;
        }
      }
      ring.release();
      assertThat(cancelled).as("the read's last completion says it was cancelled").isTrue();
      tap.close(true);
      tap = null;
      assertThat(sh("ip", "-n", NS, "link", "show", TAP)).as("the tap is gone").isNotZero();
      tap = TapDevice.open(TAP, NS, false);
      assertThat(tap.created).isTrue();
    } finally {
      buffers.close();
    }
  }

  /** {@code count} ARP requests out of the tap: a ping each to an absent neighbour. */
  private void arping(int count) throws Exception {
    for (int i = 0; i < count; i++) {
      sh("ip", "netns", "exec", NS, "ping", "-c", "1", "-W", "0.1", "10.77.0." + (10 + i));
    }
  }

  private long rxPackets() throws Exception {
    Process p =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                NS,
                "cat",
                "/sys/class/net/" + TAP + "/statistics/rx_packets")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(10, TimeUnit.SECONDS);
    return Long.parseLong(out.trim());
  }

  private void ip(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ip", "-n", NS));
    cmd.addAll(List.of(args));
    if (sh(cmd.toArray(String[]::new)) != 0) {
      throw new IOException("failed: " + cmd);
    }
  }

  private static int sh(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }
}
