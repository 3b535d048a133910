package io.weft.diagnostics.capture;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What one capture may ask for, and how many run on a host at once ({@code
 * weft.diagnostics.capture.*}); the agent has hard maxima of its own above these.
 *
 * @param maxPackets most packets per capture
 * @param maxSeconds longest capture
 * @param maxBytes largest file (the pcap is kept in the database)
 * @param perHost captures running on one host at the same time
 * @param retentionHours how long finished captures are kept
 */
@ConfigurationProperties("weft.diagnostics.capture")
record CaptureLimits(
    Integer maxPackets,
    Integer maxSeconds,
    Integer maxBytes,
    Integer perHost,
    Integer retentionHours) {

  CaptureLimits {
    maxPackets = maxPackets == null ? 10_000 : maxPackets;
    maxSeconds = maxSeconds == null ? 60 : maxSeconds;
    maxBytes = maxBytes == null ? 4 * 1024 * 1024 : maxBytes;
    perHost = perHost == null ? 2 : perHost;
    retentionHours = retentionHours == null ? 24 : retentionHours;
  }
}
