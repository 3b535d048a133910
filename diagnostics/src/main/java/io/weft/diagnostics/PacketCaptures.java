package io.weft.diagnostics;

import io.weft.fabric.Caller;
import java.util.List;
import java.util.UUID;

/**
 * Bounded packet captures on a vNIC (its tenant or operators) or a host's underlay (operators),
 * started through the agent command path and answered asynchronously: start, poll the status,
 * download the pcap. The file is kept in the database, so every replica serves it; only the
 * requester's tenant or an operator may see or download it (anyone else: not found). Every call is
 * audited.
 */
public interface PacketCaptures {

  /**
   * Starts a capture; returns at once with the capture RUNNING.
   *
   * @throws io.weft.fabric.InvalidRequestException a missing or excessive bound, a bad filter
   * @throws io.weft.fabric.NotFoundException an unknown vNIC or host, or another tenant's
   * @throws io.weft.fabric.ConflictException the host already runs its most captures at once
   */
  CaptureStatus start(Caller caller, CaptureRequest request);

  CaptureStatus status(Caller caller, UUID id);

  /** The caller's captures (a tenant's own tenant's; operators all), newest first. */
  List<CaptureStatus> list(Caller caller, int limit);

  /**
   * The pcap file of a DONE capture.
   *
   * @throws io.weft.fabric.ConflictException it is still running or failed
   */
  byte[] pcap(Caller caller, UUID id);
}
