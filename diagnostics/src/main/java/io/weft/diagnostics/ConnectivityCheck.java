package io.weft.diagnostics;

import io.weft.fabric.Caller;
import java.time.Duration;

/**
 * The one answer: runs the trace over intended tables, the trace over applied tables and a live
 * probe together, through {@link ConnectivityDiagnostics} and {@link LiveProbes}, and opens with
 * one sentence naming where and why it breaks. Same scopes as those: tenants only from their own
 * vNICs (another tenant's is "not found"), never a host name or provider address; the probes' rate
 * limit applies; every call is audited.
 */
public interface ConnectivityCheck {

  /**
   * Asks and waits up to the request's {@code waitSeconds} for the live probe.
   *
   * @throws io.weft.fabric.InvalidRequestException a bad field (named)
   * @throws io.weft.fabric.NotFoundException an unknown vNIC, or another tenant's
   * @throws TooManyProbesException the tenant or the host probed too often lately
   */
  ConnectivityAnswer check(Caller caller, ConnectivityRequest request);

  /**
   * An earlier answer, after waiting up to {@code wait} for its live probe to finish. The traces
   * are the ones taken when it was asked.
   *
   * @throws io.weft.fabric.NotFoundException no such check, or another tenant's
   */
  ConnectivityAnswer get(Caller caller, String id, Duration wait);
}
