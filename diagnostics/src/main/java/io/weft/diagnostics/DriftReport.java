package io.weft.diagnostics;

import java.time.Instant;
import java.util.List;

/** An audit of every host's applied table against the fabric's intended one. */
public record DriftReport(Instant at, List<HostDrift> hosts) {

  public DriftReport {
    hosts = List.copyOf(hosts);
  }

  public long drifting() {
    return hosts.stream().filter(HostDrift::drifting).count();
  }
}
