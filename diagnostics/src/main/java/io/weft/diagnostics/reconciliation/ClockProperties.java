package io.weft.diagnostics.reconciliation;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code weft.clock.*}: clock health against NTP servers.
 *
 * @param ntpServers {@code host} or {@code host:port}; none (the default) means "not configured"
 * @param interval how often each replica measures
 * @param warn offsets beyond this are a warning on the dashboard
 * @param alert offsets beyond this are an alert
 */
@ConfigurationProperties("weft.clock")
record ClockProperties(
    @DefaultValue({}) List<String> ntpServers,
    @DefaultValue("60s") Duration interval,
    @DefaultValue("2s") Duration timeout,
    @DefaultValue("500ms") Duration warn,
    @DefaultValue("1s") Duration alert) {

  String classify(Long offsetMs) {
    if (offsetMs == null) {
      return "UNREACHABLE";
    }
    long abs = Math.abs(offsetMs);
    return abs > alert.toMillis() ? "ALERT" : abs > warn.toMillis() ? "WARNING" : "OK";
  }
}
