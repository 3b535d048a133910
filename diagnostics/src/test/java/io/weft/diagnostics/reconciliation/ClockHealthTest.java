package io.weft.diagnostics.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Clock offsets measured with Commons Net's NTPUDPClient: against Debian's chrony as a local server
 * (the normal path) and against a server answering a deliberately wrong time (warning and alert).
 */
class ClockHealthTest {

  final ClockProperties props =
      new ClockProperties(
          List.of(),
          Duration.ofSeconds(60),
          Duration.ofSeconds(2),
          Duration.ofMillis(500),
          Duration.ofSeconds(1));

  @Test
  void aServerSevenHundredMillisecondsAheadIsAWarningAndTwoSecondsAnAlert() throws Exception {
    try (SkewedNtpServer ahead = new SkewedNtpServer(700)) {
      OptionalLong offset = NtpProbe.offsetMs(ahead.address(), Duration.ofSeconds(2));
      assertThat(offset).isPresent();
      assertThat(offset.getAsLong()).isBetween(600L, 800L);
      assertThat(props.classify(offset.getAsLong())).isEqualTo("WARNING");
    }
    try (SkewedNtpServer behind = new SkewedNtpServer(-2000)) {
      long offset = NtpProbe.offsetMs(behind.address(), Duration.ofSeconds(2)).orElseThrow();
      assertThat(offset).isBetween(-2100L, -1900L);
      assertThat(props.classify(offset)).isEqualTo("ALERT");
    }
  }

  @Test
  void aServerThatNeverAnswersIsUnreachableNotAnOffset() throws Exception {
    int port;
    try (DatagramSocket closed = new DatagramSocket(0)) {
      port = closed.getLocalPort();
    }
    OptionalLong offset = NtpProbe.offsetMs("127.0.0.1:" + port, Duration.ofMillis(300));
    assertThat(offset).isEmpty();
    assertThat(props.classify(null)).isEqualTo("UNREACHABLE");
  }

  @Test
  void chronyAsALocalServerAgreesWithThisClock() throws Exception {
    Path chronyd = Path.of("/usr/sbin/chronyd");
    assumeTrue(Files.isExecutable(chronyd), "chrony is not installed (./weft test installs it)");
    assumeTrue("root".equals(System.getProperty("user.name")), "chronyd needs root");
    int port;
    try (DatagramSocket free = new DatagramSocket(0)) {
      port = free.getLocalPort();
    }
    Path dir = Files.createTempDirectory("weft-chrony");
    Path conf = dir.resolve("chrony.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "port " + port,
            "bindaddress 127.0.0.1",
            "allow 127.0.0.1",
            "local stratum 8",
            "cmdport 0",
            "pidfile " + dir.resolve("chronyd.pid"),
            ""));
    // -x: never touch the system clock; -d: stay in the foreground (ends with the process).
    Process p =
        new ProcessBuilder(chronyd.toString(), "-d", "-x", "-U", "-f", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("chronyd.log").toFile())
            .start();
    try {
      OptionalLong offset = OptionalLong.empty();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (offset.isEmpty() && System.nanoTime() < deadline) {
        offset = NtpProbe.offsetMs("127.0.0.1:" + port, Duration.ofMillis(500));
      }
      assertThat(offset).as(log(dir)).isPresent();
      assertThat(Math.abs(offset.getAsLong())).isLessThan(100);
      assertThat(props.classify(offset.getAsLong())).isEqualTo("OK");
    } finally {
      p.destroy();
      p.waitFor();
    }
  }

  private static String log(Path dir) {
    try {
      return Files.readString(dir.resolve("chronyd.log"));
    } catch (IOException e) {
      return e.toString();
    }
  }
}
