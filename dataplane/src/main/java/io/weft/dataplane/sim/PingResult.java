package io.weft.dataplane.sim;

import java.time.Duration;

/** The outcome of one ping from a simulated VM. */
public record PingResult(boolean success, Duration rtt, String detail) {

  static PingResult ok(long rttNanos) {
    return new PingResult(true, Duration.ofNanos(rttNanos), "reply");
  }

  static PingResult failed(String why) {
    return new PingResult(false, Duration.ZERO, why);
  }
}
