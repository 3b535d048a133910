package io.weft.diagnostics.trace;

import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.VmNetworkTable;
import io.weft.fabric.HostId;
import io.weft.fabric.VmNetworkId;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Each host's intended table for one VM network, kept per table generation: a host's intended table
 * at a generation never changes (every change to what a host forwards with is a new generation), so
 * a trace that finds the generation it read from the database here skips the compile, which was
 * most of a trace's cost. Only an optimization: the key is the generation the database gives now,
 * so a replica never serves a table another replica has moved past, and a stale entry is simply
 * recomputed. Bounded by the entries it holds (lookup records and ports), least recently used first
 * out.
 */
@Component
class IntendedTableCache {

  private record Key(HostId host, VmNetworkId network) {}

  private record Kept(long generation, HostTable table, int weight) {}

  private final int maxWeight;
  private final Map<Key, Kept> kept = new LinkedHashMap<>(256, 0.75f, true);
  private long weight;
  private long hits;
  private long misses;

  IntendedTableCache(@Value("${weft.diagnostics.trace-cache-entries:200000}") int maxWeight) {
    this.maxWeight = maxWeight;
  }

  /**
   * The table for {@code host} and {@code network} at {@code generation}, computed by {@code
   * compute} when this replica has not kept it (computed outside the lock: two traces may compute
   * the same table once each, never wait for each other).
   */
  HostTable get(HostId host, VmNetworkId network, long generation, Supplier<HostTable> compute) {
    Key key = new Key(host, network);
    synchronized (this) {
      Kept k = kept.get(key);
      if (k != null && k.generation() == generation) {
        hits++;
        return k.table();
      }
      misses++;
    }
    HostTable table = compute.get();
    put(key, table);
    return table;
  }

  private synchronized void put(Key key, HostTable table) {
    Kept known = kept.get(key);
    if (known != null && known.generation() > table.generation()) {
      return; // a newer one got here first
    }
    Kept k = new Kept(table.generation(), table, weightOf(table));
    if (k.weight() > maxWeight) {
      return;
    }
    Kept old = kept.put(key, k);
    weight += k.weight() - (old == null ? 0 : old.weight());
    Iterator<Kept> eldest = kept.values().iterator();
    while (weight > maxWeight && eldest.hasNext()) {
      weight -= eldest.next().weight();
      eldest.remove();
    }
  }

  private static int weightOf(HostTable table) {
    int w = 1;
    for (VmNetworkTable n : table.networks()) {
      w += n.lookupRecords().size() + n.ports().size() + n.subnets().size();
    }
    return w;
  }

  synchronized long hits() {
    return hits;
  }

  synchronized long misses() {
    return misses;
  }

  synchronized int size() {
    return kept.size();
  }
}
