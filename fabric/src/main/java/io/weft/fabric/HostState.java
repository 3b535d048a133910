package io.weft.fabric;

/** A host's life: only READY hosts receive new VMs. */
public enum HostState {
  /** Registered; its agent has not reported yet. */
  REGISTERING,
  READY,
  /** Its VMs are being moved away; no new VMs. */
  DRAINING,
  DOWN
}
