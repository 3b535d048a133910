package io.weft.dataplane.pipeline;

import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.PortEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.StampedLock;
import java.util.function.LongSupplier;

/**
 * What each vNIC port showed of its addresses: source addresses, ARP/ND announcements, DHCP leases
 * and releases, and the addresses port security refused, each with first and last seen times.
 * Bounded: a small fixed table per port ({@link #SLOTS} entries, the least recently seen one makes
 * room). The switch thread writes without allocating (a sighting already in the table only touches
 * its last-seen time, at most once a second); any thread may take a {@link #snapshot()}.
 */
public final class AddressObservations {

  public static final int SLOTS = 8;
  static final String[] KINDS = {"SOURCE", "ARP", "ND", "LEASE", "RELEASED", "SPOOF"};
  public static final int SOURCE = 0;
  public static final int ARP = 1;
  public static final int ND = 2;
  public static final int LEASE = 3;
  public static final int RELEASED = 4;
  public static final int SPOOF = 5;
  private static final long REFRESH_MS = 1000;

  private final LongSupplier millis;
  private final AtomicLong additions = new AtomicLong();
  private final Map<String, Port> byId = new ConcurrentHashMap<>();
  private Port[] byIndex = new Port[0];

  public AddressObservations() {
    this(System::currentTimeMillis);
  }

  public AddressObservations(LongSupplier millis) {
    this.millis = millis;
  }

  /** Entries made for an address not shown before (news worth a report); only ever grows. */
  public long additions() {
    return additions.get();
  }

  /** The ports of a new table, by index; what a port showed carries over by id. */
  public void install(List<PortEntry> ports) {
    Port[] next = new Port[ports.size()];
    for (int i = 0; i < next.length; i++) {
      PortEntry e = ports.get(i);
      Port p = byId.computeIfAbsent(e.portId(), Port::new);
      p.vsid = e.vsid();
      p.mac = e.mac().toString();
      next[i] = p;
    }
    byId.keySet().retainAll(ports.stream().map(PortEntry::portId).toList());
    byIndex = next;
  }

  /** An IPv4 sighting on the port with table index {@code port}; no allocation. */
  public void v4(int port, int kind, int address) {
    seen(port, kind, 4, 0, address & 0xFFFF_FFFFL, 0);
  }

  /** An IPv6 sighting; no allocation. */
  public void v6(int port, int kind, long hi, long lo) {
    seen(port, kind, 6, hi, lo, 0);
  }

  /** A DHCP lease (or its release) for the port named {@code portId}. */
  public void lease(String portId, int kind, IpAddress address, int leaseSeconds) {
    Port[] ports = byIndex;
    for (int i = 0; i < ports.length; i++) {
      if (ports[i].id.equals(portId)) {
        long expires =
            kind == LEASE && leaseSeconds > 0 ? millis.getAsLong() + leaseSeconds * 1000L : 0;
        if (address.v6()) {
          seen(i, kind, 6, address.hi(), address.lo(), expires);
        } else {
          seen(i, kind, 4, 0, address.lo() & 0xFFFF_FFFFL, expires);
        }
        return;
      }
    }
  }

  private void seen(int port, int kind, int family, long hi, long lo, long expires) {
    Port[] ports = byIndex;
    if (port < 0 || port >= ports.length) {
      return;
    }
    Port p = ports[port];
    long now = millis.getAsLong();
    int slot = p.find(kind, family, hi, lo);
    if (slot >= 0 && now - p.last[slot] < REFRESH_MS && expires == 0) {
      return;
    }
    long stamp = p.lock.writeLock();
    try {
      if (slot < 0) {
        additions.incrementAndGet(); // rare: once per new address on a port
        slot = p.victim();
        p.kind[slot] = (byte) kind;
        p.family[slot] = (byte) family;
        p.hi[slot] = hi;
        p.lo[slot] = lo;
        p.first[slot] = now;
      }
      p.last[slot] = now;
      if (expires != 0) {
        p.expires[slot] = expires;
      }
    } finally {
      p.lock.unlockWrite(stamp);
    }
  }

  /** Everything the ports showed, as reported to the fabric. */
  public List<ObservedAddress> snapshot() {
    List<ObservedAddress> out = new ArrayList<>();
    for (Port p : byId.values()) {
      long stamp = p.lock.readLock();
      try {
        for (int i = 0; i < SLOTS; i++) {
          if (p.family[i] == 0) {
            continue;
          }
          IpAddress a =
              p.family[i] == 4 ? IpAddress.v4((int) p.lo[i]) : IpAddress.v6(p.hi[i], p.lo[i]);
          out.add(
              new ObservedAddress(
                  p.id,
                  p.vsid,
                  p.mac,
                  a.toString(),
                  KINDS[p.kind[i]],
                  Instant.ofEpochMilli(p.first[i]).toString(),
                  Instant.ofEpochMilli(p.last[i]).toString(),
                  p.expires[i] == 0 ? null : Instant.ofEpochMilli(p.expires[i]).toString()));
        }
      } finally {
        p.lock.unlockRead(stamp);
      }
    }
    return out;
  }

  /** One port's fixed table. */
  private static final class Port {
    final String id;
    final StampedLock lock = new StampedLock();
    volatile int vsid;
    volatile String mac;
    final byte[] kind = new byte[SLOTS];
    final byte[] family = new byte[SLOTS];
    final long[] hi = new long[SLOTS];
    final long[] lo = new long[SLOTS];
    final long[] first = new long[SLOTS];
    final long[] last = new long[SLOTS];
    final long[] expires = new long[SLOTS];

    Port(String id) {
      this.id = id;
    }

    int find(int k, int f, long h, long l) {
      for (int i = 0; i < SLOTS; i++) {
        if (family[i] == f && kind[i] == k && lo[i] == l && hi[i] == h) {
          return i;
        }
      }
      return -1;
    }

    /** An empty slot, else the least recently seen one. */
    int victim() {
      int oldest = 0;
      for (int i = 0; i < SLOTS; i++) {
        if (family[i] == 0) {
          return i;
        }
        if (last[i] < last[oldest]) {
          oldest = i;
        }
      }
      return oldest;
    }
  }
}
