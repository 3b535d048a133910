package io.weft.dataplane.agent;

import io.weft.dataplane.backend.HostBackend;
import io.weft.dataplane.pipeline.CounterSnapshot;
import io.weft.dataplane.pipeline.DropRing;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.PortEntry;
import io.weft.dataplane.table.VmNetworkTable;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's {@link Forwarder} on a {@link HostBackend}: before a table goes in force it checks
 * the PA is on the underlay interface; after, that the backend created every device the table
 * names. A table failing either is refused with the reason and the previous table re-installed, so
 * forwarding goes on as before. Each applied table is logged (ports created and removed) and kept
 * in the state directory for the next start.
 */
final class CheckedForwarder implements Forwarder {

  private static final Logger LOG = LoggerFactory.getLogger(CheckedForwarder.class);

  private final HostBackend backend;
  private final UnderlayGuard guard;
  private final AgentStateStore store;
  private volatile HostTable current;
  private volatile AgentStatus.Underlay underlay;

  /**
   * @param current the table the backend already forwards with
   * @param guard null: the operator named no underlay interface, nothing to check
   */
  CheckedForwarder(
      HostBackend backend, UnderlayGuard guard, AgentStateStore store, HostTable current) {
    this.backend = backend;
    this.guard = guard;
    this.store = store;
    this.current = current;
  }

  /** The underlay check for a table about to be used (also the one restored from disk). */
  AgentStatus.Underlay checkUnderlay(HostTable table) {
    if (guard == null || table.generation() == 0) {
      return null;
    }
    AgentStatus.Underlay status = guard.check(table.localPa());
    underlay = status;
    return status;
  }

  @Override
  public synchronized void install(HostTable table) {
    AgentStatus.Underlay status = checkUnderlay(table);
    if (status != null && !status.paConfigured()) {
      throw refused(table, status.problem());
    }
    backend.install(table).join();
    Map<String, String> missing = missingDevices(table);
    if (!missing.isEmpty()) {
      backend.install(current).join();
      StringBuilder why = new StringBuilder("cannot create devices: ");
      missing.forEach(
          (port, problem) -> why.append(port).append(" (").append(problem).append(") "));
      throw refused(table, why.toString().strip());
    }
    logChanges(current, table);
    HostTable before = current;
    current = table;
    try {
      store.saveTable(table);
    } catch (IOException e) {
      // Forwarding is right; only a restart would start older. Say so, loudly.
      LOG.warn(
          "could not keep table {} in {}: {}", table.generation(), store.directory(), e.toString());
    }
    if (before.generation() == 0 && table.generation() > 0) {
      LOG.info(
          "forwarding with the fabric's table {} (PA {})", table.generation(), table.localPa());
    }
  }

  private TableRefusedException refused(HostTable table, String why) {
    LOG.warn(
        "refused table {}; still forwarding with {}: {}",
        table.generation(),
        current.generation(),
        why);
    return new TableRefusedException(why);
  }

  private Map<String, String> missingDevices(HostTable table) {
    Map<String, String> problems = backend.problems();
    Map<String, String> missing = new LinkedHashMap<>();
    if (table.generation() > 0 && problems.containsKey("underlay")) {
      missing.put("underlay", problems.get("underlay"));
    }
    for (String port : portIds(table)) {
      if (problems.containsKey(port)) {
        missing.put(port, problems.get(port));
      }
    }
    return missing;
  }

  private static void logChanges(HostTable before, HostTable after) {
    Set<String> was = portIds(before);
    Set<String> now = portIds(after);
    Set<String> created = new TreeSet<>(now);
    created.removeAll(was);
    Set<String> removed = new TreeSet<>(was);
    removed.removeAll(now);
    LOG.info(
        "applied table {} ({} VM networks, {} ports){}{}",
        after.generation(),
        after.networks().size(),
        now.size(),
        created.isEmpty() ? "" : "; ports created: " + created,
        removed.isEmpty() ? "" : "; ports removed: " + removed);
  }

  static Set<String> portIds(HostTable table) {
    Set<String> ids = new LinkedHashSet<>();
    for (VmNetworkTable n : table.networks()) {
      for (PortEntry p : n.ports()) {
        ids.add(p.portId());
      }
    }
    return ids;
  }

  @Override
  public CounterSnapshot counters() {
    return backend.counters().join();
  }

  @Override
  public java.util.Map<String, Long> deviceCounters() {
    return backend.deviceCounters().join();
  }

  @Override
  public DropRing drops() {
    return backend.drops();
  }

  @Override
  public AgentStatus.Underlay underlay() {
    return underlay;
  }
}
