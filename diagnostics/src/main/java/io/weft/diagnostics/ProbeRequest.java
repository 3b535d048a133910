package io.weft.diagnostics;

/**
 * A live probe to start: ICMP echoes injected at the source vNIC as if its VM sent them.
 *
 * @param sourceVnicId the vNIC the probe leaves from (required)
 * @param destination the IPv4 or IPv6 address to probe (required; of the vNIC's own family)
 * @param count how many echoes to inject, 1..5 (default 1); never more are sent
 * @param timeoutMs how long to wait for the replies, 200..5000 ms (default 2000)
 * @param size IP packet size of each echo, 44..9000 bytes (default 84, a default ping; IPv6:
 *     64..9000, default 104): a size beyond the overlay MTU shows where the encapsulation does not
 *     fit
 */
public record ProbeRequest(
    String sourceVnicId, String destination, Integer count, Integer timeoutMs, Integer size) {

  public ProbeRequest(String sourceVnicId, String destination, Integer count, Integer timeoutMs) {
    this(sourceVnicId, destination, count, timeoutMs, null);
  }

  public static ProbeRequest ping(String sourceVnicId, String destination) {
    return new ProbeRequest(sourceVnicId, destination, null, null, null);
  }
}
