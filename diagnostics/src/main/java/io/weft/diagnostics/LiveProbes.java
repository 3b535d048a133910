package io.weft.diagnostics;

import io.weft.fabric.Caller;
import java.time.Duration;

/**
 * Live probes without a guest agent: the source host's agent injects real packets at a vNIC as if
 * its VM sent them; every agent on the path records what it did with them, and the destination VM's
 * real reply is observed at its port. Asynchronous: start, then poll or wait on the id. Tenants
 * probe only from their own vNICs (another tenant's is "not found") and never see host names or
 * provider addresses. Rate-limited per tenant and per source host; every call audited.
 */
public interface LiveProbes {

  /**
   * Starts a probe and returns at once (state RUNNING, or DONE when nothing could be sent).
   *
   * @throws io.weft.fabric.InvalidRequestException a bad field (named)
   * @throws io.weft.fabric.NotFoundException an unknown vNIC, or another tenant's
   * @throws TooManyProbesException the tenant or the host probed too often lately
   */
  ProbeAnswer start(Caller caller, ProbeRequest request);

  /**
   * The probe as it is, after waiting up to {@code wait} for it to finish.
   *
   * @throws io.weft.fabric.NotFoundException no such probe, or another tenant's
   */
  ProbeAnswer get(Caller caller, String id, Duration wait);
}
