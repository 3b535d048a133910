package io.weft.dataplane.agent;

import io.weft.dataplane.backend.HostBackend;
import io.weft.dataplane.pipeline.CounterSnapshot;
import io.weft.dataplane.pipeline.DropRing;
import io.weft.dataplane.table.HostTable;

/** The {@link Forwarder} of an agent whose switch runs on a {@link HostBackend}. */
public record BackendForwarder(HostBackend backend) implements Forwarder {

  @Override
  public void install(HostTable table) {
    backend.install(table).join();
  }

  @Override
  public DropRing drops() {
    return backend.drops();
  }

  @Override
  public java.util.Map<String, Long> deviceCounters() {
    return backend.deviceCounters().join();
  }

  @Override
  public CounterSnapshot counters() {
    return backend.counters().join();
  }
}
