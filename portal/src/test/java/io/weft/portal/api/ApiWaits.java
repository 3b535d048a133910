package io.weft.portal.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * What the API tests wait for: a condition on background work (agents polling, simulated VMs
 * leasing), checked every 50 ms until it holds or the test fails naming it.
 */
final class ApiWaits {

  private ApiWaits() {}

  /** Waits until the condition holds; fails naming {@code what} after {@code limit}. */
  static void await(String what, Duration limit, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime())
          .as("waited " + limit.toSeconds() + " s for " + what)
          .isLessThan(deadline);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Waits until the operator's host list shows {@code count} hosts READY. */
  static void awaitReadyHosts(ApiClient operator, int count, Duration limit) {
    await(count + " hosts READY", limit, () -> readyHosts(operator) == count);
  }

  /** How many hosts the operator's host list shows READY. */
  static long readyHosts(ApiClient operator) {
    long ready = 0;
    for (var host : operator.get("/api/v1/hosts").body()) {
      if (host.path("state").asString().equals("READY")) {
        ready++;
      }
    }
    return ready;
  }
}
