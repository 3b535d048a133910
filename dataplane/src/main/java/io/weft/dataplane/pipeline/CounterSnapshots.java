package io.weft.dataplane.pipeline;

import io.weft.dataplane.pipeline.internal.PortState;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/** Turns the switch's raw counter arrays into an immutable {@link CounterSnapshot}. */
final class CounterSnapshots {

  private CounterSnapshots() {}

  static CounterSnapshot of(
      Collection<PortState> states, long[] hostDrops, long underlayRx, long underlayTx) {
    Map<String, PortCounters> ports = new HashMap<>();
    for (PortState st : states) {
      long[] c = st.counters;
      Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
      for (DropReason r : DropReason.values()) {
        if (c[PortState.DROPS + r.ordinal()] != 0) {
          drops.put(r, c[PortState.DROPS + r.ordinal()]);
        }
      }
      ports.put(
          st.portId,
          new PortCounters(
              c[PortState.RX_FRAMES],
              c[PortState.RX_BYTES],
              c[PortState.TX_FRAMES],
              c[PortState.TX_BYTES],
              drops));
    }
    Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
    for (DropReason r : DropReason.values()) {
      if (hostDrops[r.ordinal()] != 0) {
        drops.put(r, hostDrops[r.ordinal()]);
      }
    }
    return new CounterSnapshot(ports, drops, underlayRx, underlayTx);
  }
}
