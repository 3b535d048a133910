package io.weft.fabric.internal;

import io.weft.fabric.Host;
import io.weft.fabric.HostId;
import io.weft.fabric.HostState;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Spread placement: the READY host with the most free VM slots (ties by name), so load evens out
 * and a host failure takes down as few VMs as possible. The chosen host's row is locked and its
 * count re-read, so two concurrent placements cannot overfill it.
 */
@Component
class PlacementPolicy {

  private final JdbcClient jdbc;

  PlacementPolicy(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<Host> choose(HostId excluded) {
    for (Host candidate : candidates(excluded)) {
      if (lockAndRecheck(candidate.id())) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Whether the host can take one more VM; locks its row for the rest of the transaction. */
  boolean lockAndRecheck(HostId host) {
    jdbc.sql("SELECT id FROM fabric_host WHERE id = :id FOR UPDATE")
        .param("id", host.value())
        .query(Object.class)
        .optional();
    return jdbc.sql(HostRecord.SELECT + " WHERE h.id = :id")
        .param("id", host.value())
        .query(HostRecord::map)
        .optional()
        .filter(h -> h.state() == HostState.READY && h.vmCount() < h.vmSlots())
        .isPresent();
  }

  private java.util.List<Host> candidates(HostId excluded) {
    return jdbc
        .sql(HostRecord.SELECT + " WHERE h.state = 'READY'")
        .query(HostRecord::map)
        .list()
        .stream()
        .filter(h -> !h.id().equals(excluded) && h.vmCount() < h.vmSlots())
        .sorted(
            java.util.Comparator.comparingInt((Host h) -> h.vmSlots() - h.vmCount())
                .reversed()
                .thenComparing(Host::name))
        .toList();
  }
}
