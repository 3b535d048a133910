package io.weft.fabric.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.HostId;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What the cache remembers, for how long, and what makes it forget. */
class AgentTokenCacheTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final AgentTokenCache cache =
      new AgentTokenCache(10, Duration.ofMinutes(5), true, now::get);
  private final HostId host = HostId.random();

  @Test
  void aRememberedTokenIsAnsweredUntilItsHostIsForgottenOrItIsTooOld() {
    cache.remember("d1", host, cache.epoch());
    assertThat(cache.host("d1")).contains(host);
    cache.forget(HostId.random());
    assertThat(cache.host("d1")).as("another host's revocation").contains(host);
    cache.forget(host);
    assertThat(cache.host("d1")).isEmpty();

    cache.remember("d2", host, cache.epoch());
    now.addAndGet(Duration.ofMinutes(5).toNanos() - 1);
    assertThat(cache.host("d2")).contains(host);
    now.incrementAndGet();
    assertThat(cache.host("d2")).as("five minutes old").isEmpty();
  }

  @Test
  void aReadThatStartedBeforeARevocationIsNotRemembered() {
    long beforeRead = cache.epoch();
    cache.forget(host); // the rotation commits while the read is under way
    cache.remember("old", host, beforeRead);
    assertThat(cache.host("old")).isEmpty();

    beforeRead = cache.epoch();
    cache.forgetAll();
    cache.remember("old", host, beforeRead);
    assertThat(cache.host("old")).isEmpty();

    cache.remember("new", host, cache.epoch());
    assertThat(cache.host("new")).contains(host);
  }

  @Test
  void whileSuspendedItRemembersAndAnswersNothingAndResumesEmpty() {
    cache.remember("d1", host, cache.epoch());
    long beforeRead = cache.epoch();
    cache.suspend();
    assertThat(cache.host("d1")).isEmpty();
    cache.remember("d2", host, cache.epoch());
    cache.resume();
    cache.remember("d3", host, beforeRead); // read while revocations went unheard
    assertThat(cache.host("d1")).isEmpty();
    assertThat(cache.host("d2")).isEmpty();
    assertThat(cache.host("d3")).isEmpty();
    cache.remember("d4", host, cache.epoch());
    assertThat(cache.host("d4")).contains(host);
  }

  @Test
  void itHoldsAtMostItsBound() {
    for (int i = 0; i < 100; i++) {
      cache.remember("d" + i, HostId.random(), cache.epoch());
      assertThat(cache.size()).isLessThanOrEqualTo(10);
    }
    assertThat(cache.host("d99")).as("the newest is kept").isPresent();
  }
}
