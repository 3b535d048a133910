package io.weft.diagnostics;

import io.weft.fabric.Caller;

/**
 * "Why can't these two VMs talk?" answered without logging into either VM. Tenants may only use
 * their own vNICs (another tenant's answers as not found) and never see host names or provider
 * addresses; operators see everything. Every call is audited.
 */
public interface ConnectivityDiagnostics {

  /**
   * Runs the packet through the data plane's own pipeline code over the fabric's intended tables,
   * hop by hop and back, reporting every blocker (continuing past each as if it were fixed, where
   * that is possible).
   *
   * @throws io.weft.fabric.InvalidRequestException a malformed field (named in the exception)
   * @throws io.weft.fabric.NotFoundException an unknown vNIC, or another tenant's
   */
  TraceAnswer trace(Caller caller, TraceRequest request);
}
