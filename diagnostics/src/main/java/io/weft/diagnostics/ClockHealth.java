package io.weft.diagnostics;

import java.time.Instant;
import java.util.List;

/**
 * How far the clocks of replicas and hosts are from their NTP servers. Quartz clustering wants
 * replica clocks within a second of each other; lease expiry wants sane clocks on every host.
 *
 * @param status the worst of all readings: {@code NOT_CONFIGURED} (no NTP server configured, the
 *     offline default), {@code OK}, {@code WARNING} (beyond the warning threshold, default 500 ms),
 *     {@code ALERT} (beyond the alert threshold, default 1 s) or {@code UNREACHABLE}
 */
public record ClockHealth(String status, long warnMs, long alertMs, List<Reading> readings) {

  /**
   * One replica's or host's latest measurement.
   *
   * @param source {@code replica} or {@code host}
   * @param offsetMs null when the server did not answer
   */
  public record Reading(
      String source, String name, Long offsetMs, String server, String status, Instant at) {}
}
