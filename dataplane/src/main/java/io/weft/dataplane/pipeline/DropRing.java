package io.weft.dataplane.pipeline;

import io.weft.dataplane.codec.Arp;
import io.weft.dataplane.codec.ParsedFrame;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.PortEntry;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The most recent drops of one switch in a fixed ring of primitive arrays: the switch thread (the
 * only writer) records a drop without allocating, overwriting the oldest; any thread may read
 * {@link #since} a sequence number and learns how many records it missed because the ring had
 * already overwritten them. Each slot carries a sequence number written last (a per-slot seqlock),
 * so a reader never returns a record half-overwritten: it counts it as lost instead.
 *
 * <p>What a record references (the port's table entry, the switch's reason text) are objects the
 * switch already holds; storing a reference allocates nothing.
 */
public final class DropRing {

  public static final int DEFAULT_CAPACITY = 1024;

  private static final VarHandle SLOT_SEQUENCE = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle WRITTEN;

  static {
    try {
      WRITTEN = MethodHandles.lookup().findVarHandle(DropRing.class, "written", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int mask;
  private final MonotonicWallClock wallClock;
  private final long[] sequence;
  private final long[] atNanos;
  private final byte[] reason;
  private final byte[] family;
  private final long[] srcHi;
  private final long[] srcLo;
  private final long[] dstHi;
  private final long[] dstLo;
  private final int[] etherType;
  private final short[] protocol;
  private final int[] srcPort;
  private final int[] dstPort;
  private final int[] vsid;
  private final long[] generation;
  private final int[] outerSource;
  private final PortEntry[] port;
  private final String[] detail;

  @SuppressWarnings("unused") // through WRITTEN
  private long written;

  /**
   * Records lost per VSID, counted by the writer as it overwrites a record the reader has not read:
   * the record's VSID is gone once overwritten, so only the writer can tell whose record was lost.
   * Open addressing over {@link #LOST_SLOTS} VSIDs (key 0 = free); a VSID beyond them, or none,
   * counts in {@link #lostWithoutVsid}.
   */
  private static final int LOST_SLOTS = 1024;

  private final int[] lostVsid = new int[LOST_SLOTS];
  private final AtomicLongArray lostCount = new AtomicLongArray(LOST_SLOTS);
  private final AtomicLong lostWithoutVsid = new AtomicLong();

  /** The first sequence the reader has not read yet ({@link #readingFrom}). */
  private volatile long readCursor;

  /**
   * @param capacity a power of two
   * @param wallClock converts the switch clock's readings to wall time
   */
  public DropRing(int capacity, MonotonicWallClock wallClock) {
    if (capacity <= 0 || Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
    }
    this.mask = capacity - 1;
    this.wallClock = wallClock;
    sequence = new long[capacity];
    Arrays.fill(sequence, -1);
    atNanos = new long[capacity];
    reason = new byte[capacity];
    family = new byte[capacity];
    srcHi = new long[capacity];
    srcLo = new long[capacity];
    dstHi = new long[capacity];
    dstLo = new long[capacity];
    etherType = new int[capacity];
    protocol = new short[capacity];
    srcPort = new int[capacity];
    dstPort = new int[capacity];
    vsid = new int[capacity];
    generation = new long[capacity];
    outerSource = new int[capacity];
    port = new PortEntry[capacity];
    detail = new String[capacity];
  }

  public int capacity() {
    return mask + 1;
  }

  /** Drops recorded since the switch started; the next drop gets this sequence number. */
  public long written() {
    return (long) WRITTEN.getAcquire(this);
  }

  /**
   * Records a drop; switch thread only, allocation-free.
   *
   * @param nanos the switch clock's reading
   * @param from the vNIC's table entry, or null for the underlay or an unknown port
   * @param frame the parsed inner frame, or null when it was not parsed
   * @param vsidOfFrame the VSID of the port's subnet or of the encapsulated packet, 0 if unknown
   * @param outerSourcePa the underlay packet's source PA (IPv4 bits), 0 for frames from a vNIC
   * @param why the switch's reason text
   */
  public void record(
      long nanos,
      DropReason why,
      PortEntry from,
      ParsedFrame frame,
      int vsidOfFrame,
      long tableGeneration,
      int outerSourcePa,
      String whyText) {
    long s = (long) WRITTEN.getOpaque(this);
    int i = (int) (s & mask);
    long overwritten = (long) SLOT_SEQUENCE.getOpaque(sequence, i);
    if (overwritten >= 0 && overwritten >= readCursor) {
      countLost(vsid[i]);
    }
    SLOT_SEQUENCE.setOpaque(sequence, i, -1L);
    VarHandle.storeStoreFence();
    atNanos[i] = nanos;
    reason[i] = (byte) why.ordinal();
    port[i] = from;
    vsid[i] = vsidOfFrame;
    generation[i] = tableGeneration;
    outerSource[i] = outerSourcePa;
    detail[i] = whyText;
    if (frame == null) {
      family[i] = 0;
      etherType[i] = 0;
      protocol[i] = 0;
      srcPort[i] = 0;
      dstPort[i] = 0;
    } else {
      etherType[i] = frame.etherType;
      if (frame.isArp() && frame.l3Offset + 28 <= frame.buffer.length) {
        family[i] = 4;
        srcHi[i] = 0;
        srcLo[i] = Arp.senderIp(frame.buffer, frame.l3Offset) & 0xFFFF_FFFFL;
        dstHi[i] = 0;
        dstLo[i] = Arp.targetIp(frame.buffer, frame.l3Offset) & 0xFFFF_FFFFL;
      } else {
        family[i] = (byte) frame.ipVersion;
        srcHi[i] = frame.srcHi;
        srcLo[i] = frame.srcLo;
        dstHi[i] = frame.dstHi;
        dstLo[i] = frame.dstLo;
      }
      protocol[i] = (short) (frame.isIp() ? frame.l4Protocol : -1);
      srcPort[i] = frame.srcPort;
      dstPort[i] = frame.dstPort;
    }
    SLOT_SEQUENCE.setRelease(sequence, i, s);
    WRITTEN.setRelease(this, s + 1);
  }

  private void countLost(int lostVsidOf) {
    if (lostVsidOf != 0) {
      int h = (lostVsidOf * 0x9E3779B9) >>> 22; // LOST_SLOTS = 2^10
      for (int probe = 0; probe < LOST_SLOTS; probe++) {
        int slot = (h + probe) & (LOST_SLOTS - 1);
        int key = lostVsid[slot];
        if (key == 0) {
          lostVsid[slot] = lostVsidOf; // published by the increment's release below
          key = lostVsidOf;
        }
        if (key == lostVsidOf) {
          lostCount.incrementAndGet(slot);
          return;
        }
      }
    }
    lostWithoutVsid.incrementAndGet();
  }

  /**
   * Tells the writer where the reader goes on from: a record at or after {@code cursor} that the
   * switch overwrites from now on counts as lost for its VSID ({@link #lostByVsid}). Reader only.
   */
  public void readingFrom(long cursor) {
    readCursor = cursor;
  }

  /**
   * Records lost since the switch started, per VSID (VSID 0: records without one, or beyond the
   * VSIDs this ring counts separately); only VSIDs that lost any. Any thread.
   */
  public Map<Integer, Long> lostByVsid() {
    Map<Integer, Long> out = new TreeMap<>();
    for (int slot = 0; slot < LOST_SLOTS; slot++) {
      long n = lostCount.get(slot);
      if (n > 0) {
        out.merge(lostVsid[slot], n, Long::sum);
      }
    }
    long other = lostWithoutVsid.get();
    if (other > 0) {
      out.merge(0, other, Long::sum);
    }
    return out;
  }

  /** What a reader got: records in sequence order, how many it missed, and where to go on. */
  public record Batch(List<DropRecord> records, long lost, long next) {}

  /**
   * Records with sequence {@code >= from}, at most {@code max}; those the ring overwrote before
   * they were read count as {@link Batch#lost()}. Any thread.
   */
  public Batch since(long from, int max) {
    long head = written();
    long oldest = Math.max(0, head - capacity());
    long start = Math.max(from, oldest);
    long lost = start - Math.max(0, from);
    long end = Math.min(head, start + Math.max(0, max));
    List<DropRecord> out = new ArrayList<>((int) (end - start));
    for (long s = start; s < end; s++) {
      DropRecord r = read(s);
      if (r == null) {
        lost++;
      } else {
        out.add(r);
      }
    }
    return new Batch(out, lost, end);
  }

  private DropRecord read(long s) {
    int i = (int) (s & mask);
    if ((long) SLOT_SEQUENCE.getAcquire(sequence, i) != s) {
      return null;
    }
    long nanos = atNanos[i];
    DropReason why = DropReason.of(reason[i]);
    PortEntry from = port[i];
    int v = vsid[i];
    long gen = generation[i];
    int outer = outerSource[i];
    String text = detail[i];
    int fam = family[i];
    long sh = srcHi[i];
    long sl = srcLo[i];
    long dh = dstHi[i];
    long dl = dstLo[i];
    int ether = etherType[i];
    int proto = protocol[i];
    int sp = srcPort[i];
    int dp = dstPort[i];
    VarHandle.loadLoadFence();
    if ((long) SLOT_SEQUENCE.getVolatile(sequence, i) != s) {
      return null; // overwritten while we read it
    }
    long micros = wallClock.epochMicrosAt(nanos);
    return new DropRecord(
        s,
        Instant.ofEpochSecond(
            Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000L),
        from == null ? null : from.portId(),
        v,
        address(fam, sh, sl),
        address(fam, dh, dl),
        protocolName(ether, fam, proto),
        sp,
        dp,
        why,
        decidedBy(why, from, text, gen),
        gen,
        outer == 0 ? null : IpAddress.v4(outer).toString());
  }

  private static String address(int family, long hi, long lo) {
    return switch (family) {
      case 4 -> IpAddress.v4((int) lo).toString();
      case 6 -> IpAddress.v6(hi, lo).toString();
      default -> null;
    };
  }

  private static String protocolName(int etherType, int family, int proto) {
    if (etherType == 0) {
      return null;
    }
    if (etherType == 0x0806) {
      return "ARP";
    }
    if (family == 0) {
      return "EtherType 0x" + Integer.toHexString(etherType);
    }
    return switch (proto) {
      case 1 -> "ICMP";
      case 6 -> "TCP";
      case 17 -> "UDP";
      case 58 -> "ICMPv6";
      default -> "IP " + proto;
    };
  }

  /** The entry behind the drop: the port's own rule where one decided, else the table. */
  private static String decidedBy(DropReason why, PortEntry p, String text, long generation) {
    String table = "table generation " + generation;
    if (p == null) {
      return text + " (" + table + ")";
    }
    String rule =
        switch (why) {
          case SPOOFED_SOURCE ->
              "port " + p.portId() + " allows " + p.mac() + " " + p.allowedAddresses();
          case DHCP_GUARD -> "port " + p.portId() + " dhcpGuard";
          case ROUTER_GUARD -> "port " + p.portId() + " routerGuard";
          case STORM -> "port " + p.portId() + " broadcastPerSecond " + p.broadcastPerSecond();
          case TOO_BIG -> "overlayMtu";
          default -> null;
        };
    return text + " (" + (rule == null ? table : rule + ", " + table) + ")";
  }
}
