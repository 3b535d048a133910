package io.weft.diagnostics.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.table.Encapsulation;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.LookupRecord;
import io.weft.dataplane.table.MacAddress;
import io.weft.dataplane.table.VmNetworkTable;
import io.weft.fabric.HostId;
import io.weft.fabric.VmNetworkId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The trace's table cache: kept per generation, recomputed on a new one, bounded. */
class IntendedTableCacheTest {

  private final HostId host = new HostId(UUID.randomUUID());
  private final VmNetworkId network = new VmNetworkId(UUID.randomUUID());
  private final AtomicInteger computed = new AtomicInteger();

  @Test
  void theSameGenerationIsComputedOnceANewOneAgain() {
    IntendedTableCache cache = new IntendedTableCache(1000);
    HostTable first = cache.get(host, network, 7, () -> table(7, 3));
    assertThat(cache.get(host, network, 7, () -> table(7, 3))).isSameAs(first);
    assertThat(computed).hasValue(1);

    HostTable next = cache.get(host, network, 8, () -> table(8, 4));
    assertThat(next.generation()).isEqualTo(8);
    assertThat(computed).hasValue(2);
    assertThat(cache.get(host, network, 8, () -> table(8, 4))).isSameAs(next);
    assertThat(cache.hits()).isEqualTo(2);
    assertThat(cache.misses()).isEqualTo(2);
  }

  @Test
  void aTableComputedAtALaterGenerationThanAskedIsKeptUnderItsOwn() {
    IntendedTableCache cache = new IntendedTableCache(1000);
    // The host moved on between reading its generation and computing its table.
    cache.get(host, network, 7, () -> table(8, 1));
    cache.get(host, network, 7, () -> table(8, 1));
    assertThat(computed).as("generation 7 is never served from a table of 8").hasValue(2);
    cache.get(host, network, 8, () -> table(8, 1));
    assertThat(computed).hasValue(2);
  }

  @Test
  void theLeastRecentlyUsedGoFirstOnceTheEntriesExceedTheBound() {
    // Each table weighs 1 + its 9 records = 10; room for 3.
    IntendedTableCache cache = new IntendedTableCache(30);
    List<HostId> hosts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      hosts.add(new HostId(UUID.randomUUID()));
    }
    for (int i = 0; i < 3; i++) {
      cache.get(hosts.get(i), network, 1, () -> table(1, 9));
    }
    cache.get(hosts.get(0), network, 1, () -> table(1, 9)); // used again: now the newest
    cache.get(hosts.get(3), network, 1, () -> table(1, 9)); // evicts hosts[1]
    assertThat(cache.size()).isEqualTo(3);
    int before = computed.get();
    cache.get(hosts.get(0), network, 1, () -> table(1, 9));
    cache.get(hosts.get(2), network, 1, () -> table(1, 9));
    assertThat(computed).hasValue(before);
    cache.get(hosts.get(1), network, 1, () -> table(1, 9));
    assertThat(computed).hasValue(before + 1);
  }

  private HostTable table(long generation, int records) {
    computed.incrementAndGet();
    List<LookupRecord> list = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      list.add(
          new LookupRecord(
              5001,
              IpAddress.parse("10.0.0." + (10 + i)),
              MacAddress.parse("00:1d:d8:00:00:" + String.format("%02x", i)),
              IpAddress.parse("192.168.0.1")));
    }
    return new HostTable(
        host.toString(),
        generation,
        Encapsulation.NVGRE,
        IpAddress.parse("192.168.0.1"),
        1458,
        List.of(new VmNetworkTable(network.value(), List.of(), list, List.of())));
  }
}
