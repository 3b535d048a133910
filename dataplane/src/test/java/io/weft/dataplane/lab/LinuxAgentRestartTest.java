package io.weft.dataplane.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Taps are persistent: while host h1's agent is stopped, VM a1 keeps its interface and address, and
 * a new agent attaches to the same tap by name and forwards again.
 */
@ExtendWith(SharedLab.class)
class LinuxAgentRestartTest {

  private static final Duration T = Duration.ofSeconds(10);

  @Test
  void aVmKeepsItsInterfaceWhileTheAgentRestartsAndForwardsAgainAfter() throws Exception {
    AtomicReference<Lab.Result> whileDown = new AtomicReference<>();
    SharedLab.cloud()
        .restartAgent(
            "h1",
            () ->
                whileDown.set(
                    SharedLab.cloud().exec("a1", T, "ip", "-br", "addr", "show", "eth0")));
    assertThat(whileDown.get().output()).contains("eth0").contains("10.0.0.10/24");
    assertThat(SharedLab.cloud().host("h1").backend().tapName("a1").join()).isEqualTo("eth0");
    Lab.Result ping =
        SharedLab.cloud().exec("a1", T, "ping", "-c", "2", "-i", "0.2", "-W", "2", "10.0.0.11");
    assertThat(ping.ok()).as(ping.output()).isTrue();
  }
}
