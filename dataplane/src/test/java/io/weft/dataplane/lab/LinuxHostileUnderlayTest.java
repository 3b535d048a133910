package io.weft.dataplane.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.pipeline.CounterSnapshot;
import io.weft.dataplane.pipeline.DropReason;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile packets on the provider network: an intruder at 192.168.77.9 sends GRE to host h2's PA
 * that is truncated, carries the wrong protocol type, lacks the key, names a VSID h2 does not have,
 * or is oversized. h2's agent drops and counts each by reason and keeps forwarding good traffic.
 */
@ExtendWith(SharedLab.class)
class LinuxHostileUnderlayTest {

  private static final Duration T = Duration.ofSeconds(20);

  private static final String SEND =
      """
      import socket, struct, sys
      def csum(b):
          s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
          s = (s >> 16) + (s & 0xFFFF); s += s >> 16
          return ~s & 0xFFFF
      def inner(payload_len, dst_mac="020a00000002"):
          ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + payload_len, 1, 0, 64, 17, 0,
                           socket.inet_aton("10.0.0.10"), socket.inet_aton("10.0.0.11"))
          ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
          udp = struct.pack("!HHHH", 40000, 9, payload_len, 0) + bytes(payload_len - 8)
          return bytes.fromhex(dst_mac + "020a00000001") + b"\\x08\\x00" + ip + udp
      def gre(flags, proto, key=None):
          return struct.pack("!HH", flags, proto) + (b"" if key is None else struct.pack("!I", key))
      s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 47)
      s.setsockopt(socket.IPPROTO_IP, 10, 0)  # IP_MTU_DISCOVER = DONT: let the kernel fragment
      cases = {
          "truncated": b"\\x20\\x00",
          "protocol": gre(0x2000, 0x0800, 5001 << 8) + inner(32),
          "nokey": gre(0x0000, 0x6558) + inner(32),
          "vsid": gre(0x2000, 0x6558, 7777 << 8) + inner(32),
          "oversized": gre(0x2000, 0x6558, 5001 << 8) + inner(3000),
      }
      for name in sys.argv[1:]:
          for _ in range(3):
              s.sendto(cases[name], ("192.168.77.2", 0))
      """;

  private static CounterSnapshot h2() {
    return SharedLab.cloud().counters("h2");
  }

  private static void send(String... cases) {
    String[] cmd = new String[cases.length + 3];
    cmd[0] = "/usr/bin/python3";
    cmd[1] = "-c";
    cmd[2] = SEND;
    System.arraycopy(cases, 0, cmd, 3, cases.length);
    Lab.Result r = SharedLab.cloud().lab().tryExec(Lab.PREFIX + "x", T, cmd);
    assertThat(r.ok()).as(r.output()).isTrue();
  }

  /** Drops the host counted outside any port: those of underlay packets. */
  private static long underlayDrops(DropReason reason) {
    CounterSnapshot c = h2();
    long ports = c.ports().values().stream().mapToLong(p -> p.dropped(reason)).sum();
    return c.dropped(reason) - ports;
  }

  private static void awaitDrops(DropReason reason, long atLeast) throws InterruptedException {
    for (int i = 0; i < 50 && underlayDrops(reason) < atLeast; i++) {
      Thread.sleep(20);
    }
    assertThat(underlayDrops(reason))
        .as(reason + " after " + h2().underlayRxPackets() + " underlay packets: " + h2().drops())
        .isGreaterThanOrEqualTo(atLeast);
  }

  @Test
  void malformedGreIsDroppedAsMalformed() throws InterruptedException {
    long before = underlayDrops(DropReason.MALFORMED);
    send("truncated", "protocol", "nokey");
    awaitDrops(DropReason.MALFORMED, before + 9);
  }

  @Test
  void aForeignVsidIsDroppedAsUnknown() throws InterruptedException {
    long before = underlayDrops(DropReason.UNKNOWN_VSID);
    send("vsid");
    awaitDrops(DropReason.UNKNOWN_VSID, before + 3);
  }

  @Test
  void anOversizedInnerFrameIsDroppedAndGoodTrafficKeepsFlowing() throws InterruptedException {
    long before = underlayDrops(DropReason.TOO_BIG);
    send("oversized", "truncated", "vsid");
    awaitDrops(DropReason.TOO_BIG, before + 3);
    Lab.Result ping =
        SharedLab.cloud().exec("a1", T, "ping", "-c", "3", "-i", "0.2", "-W", "1", "10.0.0.11");
    assertThat(ping.ok()).as(ping.output()).isTrue();
  }
}
