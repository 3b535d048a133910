package io.weft.diagnostics.trace;

import io.weft.dataplane.table.IpAddress;
import io.weft.diagnostics.TraceRequest;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.VnicId;
import java.util.Locale;
import java.util.UUID;

/**
 * A validated {@link TraceRequest}: every bad field is refused with its name.
 *
 * @param size IP packet size in bytes
 * @param sourceOverride the what-if source address, or null for the vNIC's own
 */
public record TracedPacket(
    VnicId source,
    IpAddress destination,
    Protocol protocol,
    int port,
    int size,
    IpAddress sourceOverride) {

  /** Default ping: 20 bytes IP, 8 ICMP, 56 payload (ping6: 40 bytes IP, so 104). */
  public static final int DEFAULT_SIZE = 84;

  public static final int MIN_SIZE = 28;

  /** How much larger an IPv6 header is than an IPv4 one: sizes and minima grow by it. */
  public static final int IPV6_EXTRA = 20;

  public static final int MAX_SIZE = 9000;

  /** What the probe sends. */
  public enum Protocol {
    ICMP,
    TCP,
    UDP
  }

  public static TracedPacket of(TraceRequest r) {
    if (r == null) {
      throw new InvalidRequestException("a trace needs a body", "sourceVnicId");
    }
    VnicId source = vnicId(r.sourceVnicId());
    IpAddress destination = address(r.destination(), "destination", true);
    Protocol protocol = protocol(r.protocol());
    int port = 0;
    if (protocol == Protocol.ICMP) {
      if (r.port() != null) {
        throw new InvalidRequestException("ICMP has no port; leave port out", "port");
      }
    } else {
      if (r.port() == null || r.port() < 1 || r.port() > 65535) {
        throw new InvalidRequestException(
            protocol + " needs a port between 1 and 65535, got " + r.port(), "port");
      }
      port = r.port();
    }
    int header = destination.v6() ? IPV6_EXTRA : 0;
    int min = (protocol == Protocol.TCP ? 40 : MIN_SIZE) + header;
    int size = r.size() != null ? r.size() : protocol == Protocol.TCP ? min : DEFAULT_SIZE + header;
    if (size < min || size > MAX_SIZE) {
      throw new InvalidRequestException(
          "size (IP packet bytes) must be between " + min + " and " + MAX_SIZE + ", got " + size,
          "size");
    }
    IpAddress override = address(r.sourceAddress(), "sourceAddress", false);
    if (override != null && override.v6() != destination.v6()) {
      throw new InvalidRequestException(
          "sourceAddress and destination must both be IPv4 or both IPv6", "sourceAddress");
    }
    return new TracedPacket(source, destination, protocol, port, size, override);
  }

  private static VnicId vnicId(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidRequestException("sourceVnicId is required", "sourceVnicId");
    }
    try {
      return new VnicId(UUID.fromString(text.strip()));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("'" + text + "' is not a vNIC id", "sourceVnicId");
    }
  }

  private static IpAddress address(String text, String field, boolean required) {
    if (text == null || text.isBlank()) {
      if (required) {
        throw new InvalidRequestException(field + " is required", field);
      }
      return null;
    }
    try {
      return IpAddress.parse(text.strip());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("'" + text + "' is not an IP address", field);
    }
  }

  private static Protocol protocol(String text) {
    if (text == null || text.isBlank()) {
      return Protocol.ICMP;
    }
    try {
      return Protocol.valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(
          "protocol must be ICMP, TCP or UDP, got '" + text + "'", "protocol");
    }
  }

  /**
   * Refuses (400 on {@code destination}) a packet of the other address family than the vNIC's own
   * address: a vNIC has one address, of its subnet's family, and its port lets nothing else out.
   * Nothing to check while it has no address yet.
   */
  public static void requireFamilyOf(IpAddress vnicAddress, IpAddress destination) {
    if (vnicAddress != null && vnicAddress.v6() != destination.v6()) {
      throw new InvalidRequestException(
          "destination "
              + destination
              + " is "
              + (destination.v6() ? "IPv6" : "IPv4")
              + " but the vNIC's address "
              + vnicAddress
              + " is not: a packet stays within one address family",
          "destination");
    }
  }

  /** The same packet with another size. */
  public TracedPacket withSize(int newSize) {
    return new TracedPacket(source, destination, protocol, port, newSize, sourceOverride);
  }

  /** "ICMP echo, 84 bytes" or "TCP SYN to port 443, 40 bytes". */
  public String describe() {
    return switch (protocol) {
      case ICMP -> (destination.v6() ? "ICMPv6" : "ICMP") + " echo, " + size + " bytes";
      case TCP -> "TCP SYN to port " + port + ", " + size + " bytes";
      case UDP -> "UDP to port " + port + ", " + size + " bytes";
    };
  }
}
