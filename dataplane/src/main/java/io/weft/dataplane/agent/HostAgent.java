package io.weft.dataplane.agent;

import io.weft.dataplane.pipeline.DropRing;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.InvalidTableException;
import io.weft.dataplane.table.TableJson;
import io.weft.dataplane.table.TableMessage;
import io.weft.dataplane.table.TableValidator;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Holds the table a host forwards with and applies what the fabric sends: a snapshot replaces it, a
 * delta must start at the current generation. Anything inconsistent is refused with a reason and
 * the previous table stays in force, so forwarding never stops for a bad or missing fabric.
 * Thread-safe.
 */
public final class HostAgent {

  private final String hostId;
  private final Forwarder forwarder;
  private final LeaseBook leases;
  private HostTable table;
  private String digest;
  private Map<String, String> networkDigests;
  private AgentStatus.Rejection lastRejection;
  private boolean needsSnapshot;
  private Long clockOffsetMs;
  private String clockServer;
  private long refusals;
  private long dropCursor;

  /**
   * Per VSID, the ring's losses the fabric has accepted reports of (cumulative, like the ring's).
   */
  private final Map<Integer, Long> lostDelivered = new HashMap<>();

  public HostAgent(HostTable initial, Forwarder forwarder, LeaseBook leases) {
    this.hostId = initial.hostId();
    this.forwarder = forwarder;
    this.leases = leases;
    this.table = initial;
    this.digest = TableJson.digest(initial);
    this.networkDigests = TableJson.networkDigests(initial);
  }

  /** The result of applying one message. */
  public record ApplyResult(boolean applied, long generation, String digest, String rejection) {}

  public synchronized ApplyResult apply(TableMessage message) {
    HostTable next;
    try {
      next =
          switch (message) {
            case TableMessage.Snapshot s -> {
              if (!s.table().hostId().equals(hostId)) {
                throw new InvalidTableException(
                    "snapshot is for host " + s.table().hostId() + ", this is " + hostId);
              }
              TableValidator.validate(s.table());
              yield s.table();
            }
            case TableMessage.Delta d -> d.delta().applyTo(table);
          };
    } catch (InvalidTableException e) {
      return reject(message.generation(), e.getMessage());
    }
    try {
      forwarder.install(next);
    } catch (TableRefusedException e) {
      return reject(message.generation(), e.getMessage());
    }
    table = next;
    digest = TableJson.digest(next);
    networkDigests = TableJson.networkDigests(next);
    needsSnapshot = false;
    return new ApplyResult(true, next.generation(), digest, null);
  }

  /** Records a refusal (also for messages that did not even parse) and asks for a snapshot. */
  public synchronized ApplyResult reject(long generation, String reason) {
    lastRejection = new AgentStatus.Rejection(generation, reason, Instant.now().toString());
    refusals++;
    needsSnapshot = true;
    return new ApplyResult(false, table.generation(), digest, reason);
  }

  public synchronized HostTable table() {
    return table;
  }

  public synchronized long generation() {
    return table.generation();
  }

  public synchronized String digest() {
    return digest;
  }

  /** True after a refusal: the next poll asks for a snapshot ({@code since=0}). */
  public synchronized boolean needsSnapshot() {
    return needsSnapshot;
  }

  /** Table messages refused since the agent started. */
  public synchronized long refusals() {
    return refusals;
  }

  public String hostId() {
    return hostId;
  }

  public synchronized AgentStatus status() {
    AgentStatus.Underlay underlay = forwarder.underlay();
    return new AgentStatus(
        TableJson.FORMAT_VERSION,
        hostId,
        table.generation(),
        digest,
        lastRejection,
        leases.leases(),
        forwarder.counters(),
        underlay,
        leases.observations().snapshot(),
        actualPa(underlay),
        clockOffsetMs,
        clockServer,
        unreportedDrops(),
        networkDigests);
  }

  /** The drops recorded since the last delivered report; null when there are none. */
  private DropReport unreportedDrops() {
    DropRing ring = forwarder.drops();
    if (ring == null || ring.written() <= dropCursor) {
      return null;
    }
    DropRing.Batch batch = ring.since(dropCursor, DropReport.MAX_PER_REPORT);
    // What this report carries is read: from here on only later records count as lost per VSID.
    ring.readingFrom(batch.next());
    Map<String, Long> lostByVsid = new TreeMap<>();
    ring.lostByVsid()
        .forEach((vsid, n) -> {
          long unreported = n - lostDelivered.getOrDefault(vsid, 0L);
          if (unreported > 0) {
            lostByVsid.put(Integer.toString(vsid), unreported);
          }
        });
    return new DropReport(batch.lost(), lostByVsid, batch.records(), batch.next());
  }

  /**
   * How many times a port showed an address (and kind) it had not shown before, since start: a
   * change means a status report has news for reconciliation.
   */
  public long observationsAdded() {
    return leases.observations().additions();
  }

  /** True when the switch dropped something not yet delivered to the fabric. */
  public synchronized boolean hasUnreportedDrops() {
    DropRing ring = forwarder.drops();
    return ring != null && ring.written() > dropCursor;
  }

  /** The fabric accepted a report carrying {@code report}: the next starts after it. */
  public synchronized void dropsDelivered(DropReport report) {
    if (report != null) {
      dropCursor = Math.max(dropCursor, report.nextSequence());
      report
          .lostByVsid()
          .forEach((vsid, n) -> lostDelivered.merge(Integer.valueOf(vsid), n, Long::sum));
    }
  }

  /**
   * Runs {@code listener} (without blocking: it is called on the switch thread) per lease event.
   */
  public void onLeaseChange(Runnable listener) {
    leases.onChange(listener);
  }

  /** The latest clock offset against an NTP server, reported with every status from now on. */
  public synchronized void clockOffset(long offsetMs, String server) {
    this.clockOffsetMs = offsetMs;
    this.clockServer = server;
  }

  /**
   * The PA this host really has, when its underlay interface lacks the table's: the interface's
   * first IPv4 address (the fabric reports the difference as PA drift). Null when the table's PA is
   * in place or nothing is checked.
   */
  private static String actualPa(AgentStatus.Underlay underlay) {
    if (underlay == null || underlay.paConfigured() || underlay.addresses() == null) {
      return null;
    }
    return underlay.addresses().stream()
        .map(a -> a.contains("/") ? a.substring(0, a.indexOf('/')) : a)
        .filter(a -> a.indexOf(':') < 0)
        .findFirst()
        .orElse(null);
  }

  /** The backend's device counters (I/O errors, offload work) by name; empty when it has none. */
  public Map<String, Long> deviceCounters() {
    return forwarder.deviceCounters();
  }
}
