package io.weft.portal.ui.operator;

import io.weft.dataplane.pipeline.CounterSnapshot;
import io.weft.dataplane.pipeline.DropReason;
import io.weft.dataplane.pipeline.PortCounters;
import io.weft.dataplane.table.TableJson;
import java.util.List;
import java.util.Map;

/**
 * A host agent's counters as it last reported them (the data plane's {@link CounterSnapshot}, sent
 * as JSON and stored by the fabric as given), with the totals the operator pages show.
 *
 * @param snapshot null when there is nothing to show; {@code problem} says why
 * @param problem null when {@code snapshot} is present
 */
public record HostCounters(CounterSnapshot snapshot, String problem) {

  /** Drop reasons in the order operators read them: port security first, then forwarding. */
  static final List<DropReason> REASONS =
      List.of(
          DropReason.SPOOFED_SOURCE,
          DropReason.DHCP_GUARD,
          DropReason.ROUTER_GUARD,
          DropReason.UNKNOWN_VSID,
          DropReason.NO_ROUTE,
          DropReason.MALFORMED,
          DropReason.STORM,
          DropReason.TTL_EXPIRED,
          DropReason.NOT_LOCAL,
          DropReason.UNKNOWN_PORT,
          DropReason.TOO_BIG,
          DropReason.UNSUPPORTED);

  static final HostCounters NOT_REPORTED =
      new HostCounters(null, "The agent has not reported counters yet.");

  /** Reads an agent's counters JSON; never throws. */
  static HostCounters parse(String json) {
    if (json == null || json.isBlank()) {
      return NOT_REPORTED;
    }
    try {
      CounterSnapshot s = TableJson.mapper().readValue(json, CounterSnapshot.class);
      return s == null ? NOT_REPORTED : new HostCounters(s, null);
    } catch (RuntimeException e) {
      return new HostCounters(
          null, "The agent's last counter report could not be read (too large or malformed).");
    }
  }

  boolean present() {
    return snapshot != null;
  }

  /** Frames the VMs sent into the switch. */
  long fromVms() {
    return ports().values().stream().mapToLong(PortCounters::rxFrames).sum();
  }

  /**
   * Frames the switch delivered to local vNICs (local traffic, decapsulated, and local answers).
   */
  long deliveredToVms() {
    return ports().values().stream().mapToLong(PortCounters::txFrames).sum();
  }

  /** Encapsulated packets forwarded to other hosts over the underlay. */
  long forwardedToUnderlay() {
    return snapshot == null ? 0 : snapshot.underlayTxPackets();
  }

  long receivedFromUnderlay() {
    return snapshot == null ? 0 : snapshot.underlayRxPackets();
  }

  long dropped() {
    return snapshot == null
        ? 0
        : snapshot.drops().values().stream().mapToLong(Long::longValue).sum();
  }

  long dropped(DropReason reason) {
    return snapshot == null ? 0 : snapshot.dropped(reason);
  }

  Map<String, PortCounters> ports() {
    return snapshot == null ? Map.of() : snapshot.ports();
  }

  /** "spoofed source 3 · no route 1", the non-zero drops, or "none". */
  String dropSummary() {
    StringBuilder out = new StringBuilder();
    for (DropReason r : REASONS) {
      long n = dropped(r);
      if (n > 0) {
        out.append(out.isEmpty() ? "" : " · ").append(label(r).toLowerCase()).append(' ').append(n);
      }
    }
    return out.isEmpty() ? "none" : out.toString();
  }

  static String label(DropReason reason) {
    return switch (reason) {
      case SPOOFED_SOURCE -> "Spoofed source";
      case DHCP_GUARD -> "DHCP guard";
      case ROUTER_GUARD -> "Router guard";
      case STORM -> "Storm limit";
      case UNKNOWN_VSID -> "Unknown VSID";
      case NO_ROUTE -> "No route";
      case MALFORMED -> "Malformed";
      case TTL_EXPIRED -> "TTL expired";
      case NOT_LOCAL -> "Not local";
      case UNKNOWN_PORT -> "Unknown port";
      case UNSUPPORTED -> "Unsupported";
      case TOO_BIG -> "Too big";
    };
  }

  static String meaning(DropReason reason) {
    return switch (reason) {
      case SPOOFED_SOURCE -> "A VM sent with a MAC or IP address that is not its vNIC's";
      case DHCP_GUARD -> "A VM sent a DHCP server message";
      case ROUTER_GUARD -> "A VM sent a router advertisement or a redirect";
      case STORM -> "Broadcast or multicast above the port's storm limit";
      case UNKNOWN_VSID -> "Encapsulated packet for a VSID with no subnet on this host";
      case NO_ROUTE -> "No lookup record or subnet for the destination in the VM network";
      case MALFORMED -> "A frame or packet that could not be parsed";
      case TTL_EXPIRED -> "TTL or hop limit ran out while routing";
      case NOT_LOCAL -> "Underlay packet not for this host or for a local vNIC of its VSID";
      case UNKNOWN_PORT -> "Frame from a port the table does not know";
      case UNSUPPORTED -> "Flooding, unsupported EtherTypes, fragments";
      case TOO_BIG -> "Larger than the overlay MTU; the VM was told the MTU (ICMP too big)";
    };
  }

  /** 950, 12.3k, 4.5M: counters at a glance. */
  static String compact(long n) {
    if (n < 10_000) {
      return Long.toString(n);
    }
    if (n < 1_000_000) {
      return String.format(java.util.Locale.ROOT, "%.1fk", n / 1000.0);
    }
    return String.format(java.util.Locale.ROOT, "%.1fM", n / 1_000_000.0);
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    if (n < 1024 * 1024) {
      return String.format(java.util.Locale.ROOT, "%.1f KiB", n / 1024.0);
    }
    return String.format(java.util.Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
  }
}
