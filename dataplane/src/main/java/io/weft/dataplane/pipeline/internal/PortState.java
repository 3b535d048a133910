package io.weft.dataplane.pipeline.internal;

import io.weft.dataplane.pipeline.DropReason;

/**
 * Runtime state of one vNIC port that outlives table generations: counters, the storm-limit bucket
 * and the DHCP lease the responder granted. Owned by the switch thread.
 */
public final class PortState {

  public static final int RX_FRAMES = 0;
  public static final int RX_BYTES = 1;
  public static final int TX_FRAMES = 2;
  public static final int TX_BYTES = 3;
  public static final int DROPS = 4;
  public static final int FIELDS = DROPS + DropReason.values().length;

  public final String portId;
  public final long[] counters = new long[FIELDS];

  /** Storm bucket: tokens scaled by 1e9 so refills stay in integer nanoseconds. */
  private long tokensNanos;

  private long lastRefill;

  private boolean primed;

  /** Address the responder acknowledged (IPv4 bits), 0 when none. */
  public int leasedV4;

  public long leaseExpiresNanos;

  public PortState(String portId) {
    this.portId = portId;
  }

  /** Takes one token for a broadcast frame; false when the port is over its per-second limit. */
  public boolean admitBroadcast(int perSecond, long now) {
    if (perSecond <= 0) {
      return true;
    }
    long cap = perSecond * 1_000_000_000L;
    if (!primed) {
      primed = true;
      tokensNanos = cap;
    } else {
      long elapsed = Math.max(0, now - lastRefill);
      tokensNanos = Math.min(cap, tokensNanos + Math.min(elapsed, 1_000_000_000L) * perSecond);
    }
    lastRefill = now;
    if (tokensNanos < 1_000_000_000L) {
      return false;
    }
    tokensNanos -= 1_000_000_000L;
    return true;
  }
}
