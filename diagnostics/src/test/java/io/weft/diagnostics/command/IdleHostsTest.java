package io.weft.diagnostics.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A host found without pending commands is not asked about again until a command for it is
 * signalled, and a signal that comes while the database is being asked is never lost.
 */
class IdleHostsTest {

  private final IdleHosts idle = new IdleHosts();
  private final UUID host = UUID.randomUUID();
  private final AtomicInteger reads = new AtomicInteger();

  @Test
  void anIdleHostIsAskedOnceUntilACommandForItIsSignalled() {
    assertThat(idle.hasPending(host, this::none)).isFalse();
    assertThat(idle.hasPending(host, this::none)).isFalse();
    assertThat(reads).as("known idle: no second read").hasValue(1);

    idle.forget(UUID.randomUUID()); // another host's command
    assertThat(idle.hasPending(host, this::none)).isFalse();
    assertThat(reads).hasValue(1);

    idle.forget(host);
    assertThat(idle.hasPending(host, this::pending)).isTrue();
    assertThat(idle.hasPending(host, this::pending)).as("pending is never remembered").isTrue();
    assertThat(reads).hasValue(3);
  }

  @Test
  void aSignalDuringTheReadIsNotLost() {
    // The read misses a command committed just after it; its signal arrives before the answer.
    assertThat(
            idle.hasPending(
                host,
                () -> {
                  idle.forget(host);
                  return false;
                }))
        .isFalse();
    assertThat(idle.hasPending(host, this::pending)).as("asked again, not remembered").isTrue();
  }

  @Test
  void missedNotificationsForgetEveryHostAndNameThem() {
    idle.hasPending(host, this::none);
    assertThat(idle.forgetAll()).containsExactly(host);
    assertThat(idle.hasPending(host, this::pending)).isTrue();
  }

  private boolean none() {
    reads.incrementAndGet();
    return false;
  }

  private boolean pending() {
    reads.incrementAndGet();
    return true;
  }
}
